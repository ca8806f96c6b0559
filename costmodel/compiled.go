package costmodel

import (
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"
)

// Compiled is the float64 form of a portfolio, for Monte Carlo: the same
// model as Evaluate, with the portfolio's structure (categories, price
// points, tier counts and modes, tier bases, launch months, ramps, which
// optional blocks are present, which terms categories share) baked in at
// Compile, and every driver read from a vector x indexed like
// Portfolio.Drivers. One Compiled serves any number of evaluations: Eval
// allocates nothing, and a Compiled may be used by many goroutines at
// once, each with its own FloatResult.
//
// The portfolio's adjustments are compiled too, and apply month by month
// as in Evaluate. The float path reproduces the decimal statement within
// half a minor unit per base line (the decimal lines are rounded once, the
// float lines not at all); the exceptions are written on Eval. It exists
// for speed and never replaces the statement: reports take their cents
// from Evaluate.
type Compiled struct {
	drivers []Driver
	index   map[string]int
	owner   []int32 // partnership of each driver; -1 for the portfolio's
	prep    []bool  // the driver feeds a category's per-order coefficients

	months   int
	scale    float64 // 10^minor unit, for the amortisation split
	discount int32

	parts  []fPartnership
	cats   []fCategory
	points []fPoint
	comms  []fCommission
	tiers  []fTier
	groups []fGroup
	bands  []fBand
	setups []fSetup
	maints []fMaint

	// Adjustments: adjs[monthAdjs[monthAdj[t]:monthAdj[t+1]]] are active
	// in month t, in order; adjChange[t] says the set differs from month
	// t−1's; adjusted lists every driver an adjustment changes.
	adjs       []fAdjust
	adjDrivers []int32
	monthAdjs  []int32
	monthAdj   []int32
	adjChange  []bool
	adjusted   []int32

	info []CompiledPartnership
	rows int
}

// fAdjust is an Adjustment: op applied with value to adjDrivers[d0:d0+nd].
type fAdjust struct {
	op     int8
	value  float64
	d0, nd int32
}

const (
	opSet = iota
	opMultiply
	opAdd
)

// CompiledPartnership describes one partnership of a Compiled portfolio
// and where its rows are in a FloatResult.
type CompiledPartnership struct {
	ID, Name, Channel string
	// Categories are the IDs of the partnership's categories, in portfolio
	// order; category j is row Row+j of a FloatResult.
	Categories []string
	// Row is the partnership's first row. Its categories' rows come first,
	// then its own row (the partnership-level lines) at OwnRow().
	Row int
	// LaunchMonth is the month offset at which orders start.
	LaunchMonth int
}

// OwnRow is the row of the partnership-level lines (true-up, fixed
// marketing, running costs, set-up, amortisation): Row + len(Categories).
func (cp CompiledPartnership) OwnRow() int { return cp.Row + len(cp.Categories) }

// noDriver marks an absent optional driver (a nil cap, the last tier's bound).
const noDriver = -1

// Tier bases, baked from Commission.basis().
const (
	basisItem = iota
	basisGMV
	basisOrders
)

// tieTol is the relative tolerance of the float path's threshold tests
// (all-units tier bounds and the per-order fee threshold), where a fee
// jumps. The decimal model puts an amount exactly on a threshold in the
// lower tier ($12.00 + $1.12 shipping = $13.12); float arithmetic may land
// a few ulps above it (12 + 1.12 = 13.120000000000001), so an amount within
// 1e−14 of a bound counts as on it. No price a business sets lies that
// close above a bound without being on it.
const tieTol = 1e-14

// atMost reports x ≤ bound, taking amounts within tieTol of the bound as on
// it.
func atMost(x, bound float64) bool { return x <= bound+math.Abs(bound)*tieTol }

// fTier is a Tier: driver indices of its bound (noDriver: unbounded) and
// rate.
type fTier struct{ upTo, rate int32 }

// fCommission is a Commission: driver indices, its tiers at
// tiers[tier0:tier0+ntiers], and its structure.
type fCommission struct {
	rate            int32 // flat rate; noDriver when tiered
	tier0, ntiers   int32
	marginal        bool
	basis           int8
	includeShipping bool
	refund          bool
	minPerItem      int32
	capPerItem      int32 // noDriver: no cap
	perOrderFee     int32
	threshold       int32 // noDriver: no threshold
	feeAbove        int32
	adminFixed      int32 // noDriver: no fixed limit
	adminRate       int32
}

// fPoint is a price point: driver indices of its price and share
// (noDriver for a category's single price, whose share is 1).
type fPoint struct{ price, share int32 }

// fCategory is a Category: driver indices, its price points at
// points[pt0:pt0+npt], its terms and its structure.
type fCategory struct {
	orders, units, shipCharge, unitCost, returnRate   int32
	fulfilment, shipCost, returnCost, storage, growth int32
	rampStart, rampMonths                             int32
	pt0, npt                                          int32
	comm                                              int32 // noDriver: no commission
	group                                             int32 // volume-tier group; noDriver for per-item terms
	seasonal                                          bool
	season                                            [12]int32 // season[t%12] is month t's multiplier
}

// fGroup is one set of volume-tiered terms, shared by the categories whose
// group is its index.
type fGroup struct{ comm int32 }

// fPricing is a VolumePricing, its bands at bands[band0:band0+nband].
type fPricing struct {
	allowance    int32
	shift        bool
	band0, nband int32
}

// fBand is a Band: driver indices of its bound (noDriver: unbounded) and
// of its price, held in the rate field so that tiers and bands share
// marginalSumF.
type fBand = fTier

// fSetup is a SetupItem: the driver index of its amount, its month and its
// amortisation months (at least 1).
type fSetup struct{ amount, month, amort int32 }

// fMaint is a MaintenanceItem's driver indices.
type fMaint struct{ hours, rate, monthly int32 }

// fPartnership is a Partnership: its categories cats[cat0:cat0+ncat] (rows
// row to row+ncat−1, its own row at row+ncat), volume-tier groups, set-up
// and maintenance items, driver indices, and which optional blocks it has.
type fPartnership struct {
	launch                    int
	cat0, ncat                int32
	grp0, ngrp                int32
	setup0, nsetup            int32
	maint0, nmaint            int32
	row                       int
	adjusted                  bool // an adjustment changes a driver of the per-order coefficients
	minComm                   int32
	payment                   bool
	payRate, payFixed, payCap int32
	marketing                 bool
	mktRate, mktMonthly       int32
	dataTransfer              bool
	gbPer1000, fixedGB        int32
	dtPricing                 fPricing
	api                       bool
	callsPerOrder, fixedCall  int32
	apiPricing                fPricing
	support                   bool
	tickets, perTicket, staff int32
}

// compiler resolves driver pointers to their indices.
type compiler struct {
	c     *Compiled
	at    map[*decimal.Decimal]int32
	owner int32
	err   error
}

// ix returns the index of the driver at ptr, recording its partnership
// and whether it feeds the per-order coefficients of a category.
func (b *compiler) ix(ptr *decimal.Decimal, prep bool) int32 {
	if ptr == nil {
		return noDriver
	}
	i, ok := b.at[ptr]
	if !ok {
		if b.err == nil {
			b.err = fmt.Errorf("costmodel: Compile: an input of partnership %d is not a driver", b.owner)
		}
		return noDriver
	}
	b.c.owner[i] = b.owner
	if prep {
		b.c.prep[i] = true
	}
	return i
}

// Compile validates p and compiles it to float64 form. p is neither
// retained nor modified: later changes to p do not reach the Compiled.
func Compile(p *Portfolio) (*Compiled, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cur, _ := LookupCurrency(p.Currency)
	refs := p.refs()
	c := &Compiled{
		drivers: p.Drivers(),
		index:   make(map[string]int, len(refs)),
		owner:   make([]int32, len(refs)),
		prep:    make([]bool, len(refs)),
		months:  p.Months,
		scale:   math.Pow(10, float64(cur.MinorUnit)),
	}
	b := &compiler{c: c, at: make(map[*decimal.Decimal]int32, len(refs)), owner: noDriver}
	for i, r := range refs {
		b.at[r.ptr] = int32(i)
		c.index[r.addr] = i
		c.owner[i] = noDriver
	}
	c.discount = b.ix(&p.DiscountRate, false)
	startIdx := int(p.Start.Month) - 1
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		b.owner = int32(i)
		fp := fPartnership{
			launch:  ps.LaunchMonth,
			cat0:    int32(len(c.cats)),
			ncat:    int32(len(ps.Categories)),
			grp0:    int32(len(c.groups)),
			setup0:  int32(len(c.setups)),
			maint0:  int32(len(c.maints)),
			row:     c.rows,
			minComm: b.ix(&ps.MinimumCommission, false),
		}
		info := CompiledPartnership{ID: ps.ID, Name: ps.Name, Channel: ps.Channel, Row: c.rows, LaunchMonth: ps.LaunchMonth}
		if f := ps.Payment; f != nil {
			fp.payment = true
			fp.payRate, fp.payFixed, fp.payCap = b.ix(&f.Rate, true), b.ix(&f.Fixed, true), b.ix(f.Cap, true)
		}
		if m := ps.Marketing; m != nil {
			fp.marketing = true
			fp.mktRate, fp.mktMonthly = b.ix(&m.Rate, true), b.ix(&m.Monthly, false)
		}
		for j := range ps.Setup {
			s := &ps.Setup[j]
			c.setups = append(c.setups, fSetup{amount: b.ix(&s.Amount, false), month: int32(s.Month), amort: int32(max(s.AmortMonths, 1))})
		}
		for j := range ps.Maintenance {
			m := &ps.Maintenance[j]
			c.maints = append(c.maints, fMaint{b.ix(&m.Hours, false), b.ix(&m.HourlyRate, false), b.ix(&m.Monthly, false)})
		}
		if d := ps.DataTransfer; d != nil {
			fp.dataTransfer = true
			fp.gbPer1000, fp.fixedGB = b.ix(&d.GBPer1000Orders, false), b.ix(&d.FixedGB, false)
			fp.dtPricing = b.pricing(&d.Pricing)
		}
		if a := ps.API; a != nil {
			fp.api = true
			fp.callsPerOrder, fp.fixedCall = b.ix(&a.CallsPerOrder, false), b.ix(&a.FixedCalls, false)
			fp.apiPricing = b.pricing(&a.Pricing)
		}
		if s := ps.Support; s != nil {
			fp.support = true
			fp.tickets, fp.perTicket, fp.staff = b.ix(&s.TicketsPer1000Orders, false), b.ix(&s.CostPerTicket, false), b.ix(&s.StaffMonthly, false)
		}
		// Terms shared by several categories compile once, so that a
		// volume tier reads the volume of every category sharing them.
		comms := map[*Commission]int32{}
		commIdx := func(cm *Commission) int32 {
			if cm == nil {
				return noDriver
			}
			if k, ok := comms[cm]; ok {
				return k
			}
			k := b.commission(cm)
			comms[cm] = k
			return k
		}
		groups := map[int32]int32{}
		for j := range ps.Categories {
			cat := &ps.Categories[j]
			cm := cat.Commission
			if cm == nil {
				cm = ps.Commission
			}
			fc := fCategory{
				orders:     b.ix(&cat.Orders, false),
				units:      b.ix(&cat.UnitsPerOrder, true),
				shipCharge: b.ix(&cat.ShippingCharge, true),
				unitCost:   b.ix(&cat.UnitCost, true),
				returnRate: b.ix(&cat.ReturnRate, true),
				fulfilment: b.ix(&cat.FulfilmentCost, true),
				shipCost:   b.ix(&cat.ShippingCost, true),
				returnCost: b.ix(&cat.ReturnCost, true),
				storage:    b.ix(&cat.StorageMonthly, false),
				growth:     b.ix(&cat.Growth, true),
				rampStart:  b.ix(&cat.RampStart, false),
				rampMonths: int32(cat.RampMonths),
				pt0:        int32(len(c.points)),
				comm:       commIdx(cm),
				group:      noDriver,
				seasonal:   len(cat.Seasonality) == 12,
			}
			if len(cat.PriceMix) == 0 {
				c.points = append(c.points, fPoint{price: b.ix(&cat.Price, true), share: noDriver})
			}
			for k := range cat.PriceMix {
				pt := &cat.PriceMix[k]
				c.points = append(c.points, fPoint{price: b.ix(&pt.Price, true), share: b.ix(&pt.Share, true)})
			}
			fc.npt = int32(len(c.points)) - fc.pt0
			if fc.seasonal {
				for m := range 12 {
					fc.season[m] = b.ix(&cat.Seasonality[(startIdx+m)%12], false)
				}
			}
			if fc.comm != noDriver && c.comms[fc.comm].basis != basisItem {
				g, ok := groups[fc.comm]
				if !ok {
					g = int32(len(c.groups))
					c.groups = append(c.groups, fGroup{comm: fc.comm})
					groups[fc.comm] = g
				}
				fc.group = g
			}
			c.cats = append(c.cats, fc)
			info.Categories = append(info.Categories, cat.ID)
		}
		fp.ngrp = int32(len(c.groups)) - fp.grp0
		fp.nsetup = int32(len(c.setups)) - fp.setup0
		fp.nmaint = int32(len(c.maints)) - fp.maint0
		c.parts = append(c.parts, fp)
		c.info = append(c.info, info)
		c.rows += len(ps.Categories) + 1
	}
	b.adjustments(p)
	if b.err != nil {
		return nil, b.err
	}
	return c, nil
}

// adjustments compiles p's adjustments. As in Evaluate, they do not
// reach the discount rate.
func (b *compiler) adjustments(p *Portfolio) {
	c := b.c
	c.monthAdj = make([]int32, c.months+1)
	c.adjChange = make([]bool, c.months)
	if len(p.Adjustments) == 0 {
		return
	}
	seen := map[int32]bool{}
	for i := range p.Adjustments {
		a := &p.Adjustments[i]
		fa := fAdjust{value: a.Value.InexactFloat64(), d0: int32(len(c.adjDrivers))}
		switch a.Op {
		case Multiply:
			fa.op = opMultiply
		case Add:
			fa.op = opAdd
		}
		refs, _ := p.match(a.Target) // Validate has matched every target
		for _, r := range refs {
			d, ok := b.at[r.ptr]
			if !ok || d == c.discount {
				continue
			}
			c.adjDrivers = append(c.adjDrivers, d)
			if !seen[d] {
				seen[d] = true
				c.adjusted = append(c.adjusted, d)
			}
			if c.prep[d] {
				c.parts[c.owner[d]].adjusted = true
			}
		}
		fa.nd = int32(len(c.adjDrivers)) - fa.d0
		c.adjs = append(c.adjs, fa)
	}
	slices.Sort(c.adjusted)
	for t := range c.months {
		for i := range p.Adjustments {
			if p.Adjustments[i].active(p, t) {
				c.monthAdjs = append(c.monthAdjs, int32(i))
			}
		}
		c.monthAdj[t+1] = int32(len(c.monthAdjs))
		if t > 0 {
			c.adjChange[t] = !slices.Equal(c.monthAdjs[c.monthAdj[t-1]:c.monthAdj[t]], c.monthAdjs[c.monthAdj[t]:c.monthAdj[t+1]])
		}
	}
}

// commission compiles terms and returns their index in c.comms.
func (b *compiler) commission(cm *Commission) int32 {
	c := b.c
	fc := fCommission{
		rate:            noDriver,
		tier0:           int32(len(c.tiers)),
		ntiers:          int32(len(cm.Tiers)),
		marginal:        cm.TierMode == Marginal,
		includeShipping: cm.IncludeShipping,
		minPerItem:      b.ix(&cm.MinPerItem, true),
		capPerItem:      b.ix(cm.CapPerItem, true),
		perOrderFee:     b.ix(&cm.PerOrderFee, true),
		threshold:       noDriver,
		feeAbove:        noDriver,
		adminFixed:      noDriver,
		adminRate:       noDriver,
	}
	switch cm.basis() {
	case MonthlyGMV:
		fc.basis = basisGMV
	case MonthlyOrders:
		fc.basis = basisOrders
	}
	if len(cm.Tiers) == 0 {
		fc.rate = b.ix(&cm.Rate, true)
	}
	for k := range cm.Tiers {
		c.tiers = append(c.tiers, fTier{upTo: b.ix(cm.Tiers[k].UpTo, true), rate: b.ix(&cm.Tiers[k].Rate, true)})
	}
	if cm.PerOrderThreshold != nil {
		fc.threshold = b.ix(cm.PerOrderThreshold, true)
		fc.feeAbove = b.ix(&cm.PerOrderFeeAbove, true)
	}
	if r := cm.Refund; r != nil {
		fc.refund = true
		fc.adminFixed = b.ix(r.AdminFixed, true)
		fc.adminRate = b.ix(&r.AdminRate, true)
	}
	c.comms = append(c.comms, fc)
	return int32(len(c.comms) - 1)
}

// pricing compiles a volume pricing.
func (b *compiler) pricing(v *VolumePricing) fPricing {
	fp := fPricing{allowance: b.ix(&v.Allowance, false), shift: v.AllowanceMode == Shift, band0: int32(len(b.c.bands)), nband: int32(len(v.Bands))}
	for k := range v.Bands {
		b.c.bands = append(b.c.bands, fBand{upTo: b.ix(v.Bands[k].UpTo, false), rate: b.ix(&v.Bands[k].Price, false)})
	}
	return fp
}

// NumDrivers is the number of drivers, the length of x in Eval.
func (c *Compiled) NumDrivers() int { return len(c.drivers) }

// Drivers lists the drivers in the order and with the addresses
// Portfolio.Drivers gave at compile time; x[i] in Eval is the value of
// Drivers()[i]. The slice is a copy.
func (c *Compiled) Drivers() []Driver { return slices.Clone(c.drivers) }

// Index returns the index in x of the driver at an exact address.
func (c *Compiled) Index(address string) (int, bool) {
	i, ok := c.index[address]
	return i, ok
}

// Base returns the drivers' values at compile time, index-aligned with
// Drivers, in dst when it has the capacity (a nil dst allocates).
func (c *Compiled) Base(dst []float64) []float64 {
	if cap(dst) < len(c.drivers) {
		dst = make([]float64, len(c.drivers))
	}
	dst = dst[:len(c.drivers)]
	for i, d := range c.drivers {
		dst[i] = d.Value.InexactFloat64()
	}
	return dst
}

// Months is the horizon in months.
func (c *Compiled) Months() int { return c.months }

// Rows is the number of rows of a FloatResult: one per category of every
// partnership and one for each partnership's own lines.
func (c *Compiled) Rows() int { return c.rows }

// Partnerships describes the partnerships in portfolio order, with the
// rows of their categories and own lines, for roll-ups by partnership,
// channel or category ID. The slice is a copy.
func (c *Compiled) Partnerships() []CompiledPartnership {
	out := make([]CompiledPartnership, len(c.info))
	for i, cp := range c.info {
		cp.Categories = slices.Clone(cp.Categories)
		out[i] = cp
	}
	return out
}

// MonthlyValues gives some drivers a value of their own in every month of
// an evaluation (a driver drawn afresh each month). Drivers are indices
// into x; in month t, driver Drivers[k] takes the value
// Values[t*len(Drivers)+k], so Values holds Months × len(Drivers) values,
// month by month. A driver listed twice takes the later value.
//
// The model is month by month, as with the portfolio's adjustments: month
// t's lines depend on the drivers' month-t values only. Month t's volume
// is its orders × its seasonality × its ramp × (1 + its growth rate)^(τ/12),
// τ months after launch; month t's amortisation of a set-up item is its
// share of the month-t amount (the set-up line takes the amount of the
// item's own month). So MonthlyValues with the same value in every month
// give exactly the result without them. The discount rate is one per
// evaluation, x's: a monthly value of portfolio/discount_rate is ignored,
// as Evaluate ignores adjustments of it.
type MonthlyValues struct {
	Drivers []int
	Values  []float64
}

// FloatResult is the outcome of one Eval: every line of every row and
// month, unrounded, with totals, NPVs and payback months. Make one with
// Compiled.NewResult and reuse it: Eval overwrites every value.
//
// A row is one category of one partnership, or one partnership's own
// (partnership-level) lines; CompiledPartnership says which. With R rows,
// M months and L = NumLines:
//
//	Lines[(row*M+t)*L+l]   line l of row in month t
//	Orders[row*M+t]        expected orders of row in month t (0 on own rows)
//	RowTotals[row*L+l]     line l of row over the horizon
//	PartnershipTotals[i*L+l], PartnershipOrders[i], PartnershipCashFlow[i*M+t],
//	PartnershipNPV[i], PartnershipPayback[i]
//	                       partnership i (all its rows)
//	Total[l], TotalOrders, CashFlow[t], NPV, Payback
//	                       the portfolio
//
// As in the statement, a category row's partnership-level lines (true-up,
// fixed marketing, running costs, set-up, amortisation) are zero, and so
// are an own row's category lines. Base lines are the model's values
// before rounding to the minor unit. Subtotal lines are derived from the base lines by Line.Terms, in
// waterfall order, as in the statement; totals over the horizon sum the
// base lines over the months and derive their subtotals from the sums.
// NPV is the net cash flow's, Excel's convention (the first month
// discounted once); Payback is the 1-based first month whose cumulative
// net cash flow is ≥ 0, or 0 when it is never reached.
type FloatResult struct {
	Months, Rows int // M and R

	Lines     []float64 // R × M × L: every line of every row and month
	Orders    []float64 // R × M: expected orders
	RowTotals []float64 // R × L: each row's lines over the horizon

	PartnershipTotals   []float64 // P × L: lines over the horizon
	PartnershipOrders   []float64 // P: expected orders over the horizon
	PartnershipCashFlow []float64 // P × M: monthly net cash flow
	PartnershipNPV      []float64 // P: NPV of the net cash flow
	PartnershipPayback  []int     // P: payback month, 0 when not reached

	Total       [NumLines]float64 // the portfolio's lines over the horizon
	TotalOrders float64           // the portfolio's expected orders
	CashFlow    []float64         // M: the portfolio's monthly net cash flow
	NPV         float64           // NPV of the portfolio's net cash flow
	Payback     int               // the portfolio's payback month, 0 when not reached

	c *Compiled
	// scratch
	xs       []float64
	dirty    []bool
	cc       []catCache
	pc       []pointCache
	gvol     []float64
	grate    []float64
	df       []float64
	discount float64 // the discount rate df was computed for
}

// Line returns line l of row in month t.
func (r *FloatResult) Line(row, t int, l Line) float64 {
	return r.Lines[(row*r.Months+t)*int(NumLines)+int(l)]
}

// Month returns the lines of row in month t, indexed by Line (a view into
// Lines, not a copy).
func (r *FloatResult) Month(row, t int) []float64 {
	o := (row*r.Months + t) * int(NumLines)
	return r.Lines[o : o+int(NumLines) : o+int(NumLines)]
}

// RowTotal returns the lines of row over the horizon, indexed by Line (a
// view into RowTotals).
func (r *FloatResult) RowTotal(row int) []float64 {
	o := row * int(NumLines)
	return r.RowTotals[o : o+int(NumLines) : o+int(NumLines)]
}

// PartnershipTotal returns partnership i's lines over the horizon, indexed
// by Line (a view into PartnershipTotals).
func (r *FloatResult) PartnershipTotal(i int) []float64 {
	o := i * int(NumLines)
	return r.PartnershipTotals[o : o+int(NumLines) : o+int(NumLines)]
}

// catCache holds a category's per-order coefficients, computed from the
// drivers once per evaluation (every month for partnerships that have
// drivers drawn monthly), and its growth state.
type catCache struct {
	gmv, refunds, payment, commission, orderFees, commRefund float64
	cogs, fulfilment, shipping, returns, marketing, feeBase  float64
	units, returnRate                                        float64
	// the annual growth rate, its monthly factor, and the growth factor
	// of the month with the monthly factor it was compounded with
	g, gm, growth, gmGrowth float64
}

// pointCache holds a price point's share and fee base, for terms read
// against the month's volume.
type pointCache struct{ share, base float64 }

// NewResult allocates a result for c's evaluations. A result serves one
// Eval at a time.
func (c *Compiled) NewResult() *FloatResult {
	p := len(c.parts)
	m := c.months
	r := &FloatResult{
		Months:              m,
		Rows:                c.rows,
		Lines:               make([]float64, c.rows*m*int(NumLines)),
		Orders:              make([]float64, c.rows*m),
		RowTotals:           make([]float64, c.rows*int(NumLines)),
		PartnershipTotals:   make([]float64, p*int(NumLines)),
		PartnershipOrders:   make([]float64, p),
		PartnershipCashFlow: make([]float64, p*m),
		PartnershipNPV:      make([]float64, p),
		PartnershipPayback:  make([]int, p),
		CashFlow:            make([]float64, m),
		c:                   c,
		xs:                  make([]float64, len(c.drivers)),
		dirty:               make([]bool, p),
		cc:                  make([]catCache, len(c.cats)),
		pc:                  make([]pointCache, len(c.points)),
		gvol:                make([]float64, len(c.groups)),
		grate:               make([]float64, len(c.groups)),
		df:                  make([]float64, m),
		discount:            math.NaN(),
	}
	for j := range r.cc {
		r.cc[j].g = math.NaN()
	}
	return r
}

// Eval evaluates the model with driver values x into r, allocating
// nothing. x has NumDrivers values, index-aligned with Drivers, and is
// read, never written. When mv is not nil, the drivers it lists take its
// values month by month instead of x's (see MonthlyValues); the
// portfolio's adjustments, if it has any, apply on top, month by month, as
// in Evaluate.
//
// Eval mirrors Evaluate line by line, with these differences:
//   - no line is rounded, so a base line differs from the statement's by
//     at most half a minor unit (plus float error, about 1e−15 of the
//     value), and a subtotal or total by at most that per base line it
//     sums;
//   - the minimum-commission true-up is the guarantee less the month's
//     unrounded net commission, where the statement takes its rounded
//     commission lines, so it may differ by a further half a minor unit per
//     commission line of the partnership's categories (two per category);
//   - NPVs discount unrounded flows and are not rounded;
//   - an adjusted driver value is not rounded to 12 decimal places, as
//     Portfolio.Update rounds it.
//
// The amortisation of a set-up item is split as in the statement (equal
// shares rounded to the minor unit, the last month taking the remainder),
// so its months sum to the unrounded amount.
//
// Eval does not validate x: a driver outside its range (a negative price,
// a return rate above 1, tier bounds out of order) gives whatever the
// formulas give, without a panic, and may give Inf or NaN (a discount rate
// at or below −1, an Inf or NaN in x); the montecarlo package draws within
// each driver's range. For valid values no line is NaN or Inf.
//
// Eval panics, as an index out of range would, when len(x) is not
// NumDrivers, r did not come from c.NewResult, or mv lists a driver out of
// range or has fewer than Months × len(mv.Drivers) values.
func (c *Compiled) Eval(x []float64, mv *MonthlyValues, r *FloatResult) {
	if len(x) != len(c.drivers) {
		panic(fmt.Sprintf("costmodel: Compiled.Eval: %d driver values, want %d", len(x), len(c.drivers)))
	}
	if r.c != c {
		panic("costmodel: Compiled.Eval: the result was made by another Compiled's NewResult")
	}
	M := c.months
	if mv != nil {
		if k := len(mv.Drivers); len(mv.Values) < M*k {
			panic(fmt.Sprintf("costmodel: Compiled.Eval: MonthlyValues has %d values, want %d months × %d drivers", len(mv.Values), M, k))
		}
		clear(r.dirty)
		for _, d := range mv.Drivers {
			if d < 0 || d >= len(x) {
				panic(fmt.Sprintf("costmodel: Compiled.Eval: MonthlyValues driver %d out of range [0, %d)", d, len(x)))
			}
			if c.prep[d] {
				r.dirty[c.owner[d]] = true
			}
		}
	}
	// One discount rate per evaluation, x's.
	if rate := x[c.discount]; rate != r.discount {
		r.discount = rate
		f := monthlyFactor(rate)
		df := 1.0
		for t := range M {
			df /= f
			r.df[t] = df
		}
	}
	xs := x
	monthly := mv != nil || len(c.adjs) > 0
	if monthly {
		copy(r.xs, x)
		xs = r.xs
	}
	clear(r.RowTotals)
	clear(r.PartnershipOrders)
	for t := range M {
		if monthly {
			c.monthDrivers(x, mv, t, xs)
		}
		for i := range c.parts {
			if t == 0 || (mv != nil && r.dirty[i]) || (c.parts[i].adjusted && c.adjChange[t]) {
				fp := &c.parts[i]
				for j := fp.cat0; j < fp.cat0+fp.ncat; j++ {
					c.prepare(xs, fp, j, r)
				}
			}
			c.month(xs, i, t, r)
		}
	}
	c.finish(r)
}

// monthDrivers sets xs to the drivers' values in month t: x's, then mv's,
// then the portfolio's adjustments active in month t, in order.
func (c *Compiled) monthDrivers(x []float64, mv *MonthlyValues, t int, xs []float64) {
	for _, d := range c.adjusted {
		xs[d] = x[d]
	}
	if mv != nil {
		k := len(mv.Drivers)
		vals := mv.Values[t*k : t*k+k]
		for j, d := range mv.Drivers {
			xs[d] = vals[j]
		}
	}
	for _, ai := range c.monthAdjs[c.monthAdj[t]:c.monthAdj[t+1]] {
		ad := &c.adjs[ai]
		for _, d := range c.adjDrivers[ad.d0 : ad.d0+ad.nd] {
			switch ad.op {
			case opMultiply:
				xs[d] *= ad.value
			case opAdd:
				xs[d] += ad.value
			default:
				xs[d] = ad.value
			}
		}
	}
}

// monthlyFactor is 1 + the monthly rate of an annual rate:
// (1 + annual)^(1/12).
func monthlyFactor(annual float64) float64 {
	if annual == 0 {
		return 1
	}
	return math.Pow(1+annual, 1.0/12)
}

// tierFee mirrors TierFee.
func (c *Compiled) tierFee(cm *fCommission, xs []float64, x float64) float64 {
	if cm.ntiers == 0 || x <= 0 {
		return 0
	}
	tiers := c.tiers[cm.tier0 : cm.tier0+cm.ntiers]
	if cm.marginal {
		return marginalSumF(tiers, xs, 0, x)
	}
	for _, t := range tiers {
		if t.upTo == noDriver || atMost(x, xs[t.upTo]) {
			return xs[t.rate] * x
		}
	}
	return xs[tiers[len(tiers)-1].rate] * x
}

// clamp mirrors Commission.clamp.
func clampFee(cm *fCommission, xs []float64, fee float64) float64 {
	if m := xs[cm.minPerItem]; fee < m {
		fee = m
	}
	if cm.capPerItem != noDriver {
		if cp := xs[cm.capPerItem]; fee > cp {
			fee = cp
		}
	}
	return fee
}

// refundedFee is what comes back of an item fee on a return: the fee less
// the administration fee (RefundTerms.AdminFee).
func refundedFee(cm *fCommission, xs []float64, fee float64) float64 {
	a := xs[cm.adminRate] * fee
	if cm.adminFixed != noDriver {
		if f := xs[cm.adminFixed]; f < a {
			a = f
		}
	}
	return fee - a
}

// prepare computes category j's per-order coefficients from xs.
func (c *Compiled) prepare(xs []float64, fp *fPartnership, j int32, r *FloatResult) {
	fc := &c.cats[j]
	cc := &r.cc[j]
	u := xs[fc.units]
	ship := xs[fc.shipCharge]
	rr := xs[fc.returnRate]
	var cm *fCommission
	if fc.comm != noDriver {
		cm = &c.comms[fc.comm]
	}
	shipPerItem := 0.0
	if cm != nil && cm.includeShipping && u > 0 {
		shipPerItem = ship / u
	}
	var gmv, revenue, payment, fees, orderFees, back, feeBase float64
	for k := fc.pt0; k < fc.pt0+fc.npt; k++ {
		pt := c.points[k]
		price := xs[pt.price]
		share := 1.0
		if pt.share != noDriver {
			share = xs[pt.share]
		}
		base := price + shipPerItem
		orderTotal := price*u + ship
		gmv += share * (u*price + ship)
		revenue += share * u * price
		feeBase += share * base
		if fp.payment {
			fee := xs[fp.payRate]*orderTotal + xs[fp.payFixed]
			if fp.payCap != noDriver {
				if cp := xs[fp.payCap]; fee > cp {
					fee = cp
				}
			}
			payment += share * fee
		}
		if cm == nil {
			continue
		}
		of := 0.0
		if cm.perOrderFee != noDriver {
			of = xs[cm.perOrderFee]
		}
		if cm.threshold != noDriver && !atMost(orderTotal, xs[cm.threshold]) {
			of = xs[cm.feeAbove]
		}
		orderFees += share * of
		if fc.group != noDriver {
			r.pc[k] = pointCache{share: share, base: base}
			continue
		}
		var fee float64
		if cm.ntiers == 0 {
			fee = xs[cm.rate] * base
		} else {
			fee = c.tierFee(cm, xs, base)
		}
		fee = clampFee(cm, xs, fee)
		fees += share * fee
		if cm.refund {
			back += share * refundedFee(cm, xs, fee)
		}
	}
	cc.gmv = gmv
	cc.refunds = revenue * rr
	cc.payment = payment
	cc.orderFees = orderFees
	cc.commission = u*fees + orderFees
	cc.commRefund = u * rr * back
	cc.cogs = u * (1 - rr) * xs[fc.unitCost]
	cc.fulfilment = u * xs[fc.fulfilment]
	cc.shipping = xs[fc.shipCost]
	cc.returns = u * rr * xs[fc.returnCost]
	cc.marketing = 0
	if fp.marketing {
		cc.marketing = xs[fp.mktRate]
	}
	cc.feeBase = u * feeBase
	cc.units, cc.returnRate = u, rr
	if g := xs[fc.growth]; g != cc.g { // math.Pow is slow, and growth seldom varies
		cc.g, cc.gm = g, monthlyFactor(max(g, -1))
	}
}

// month computes partnership i's rows in month t, with their subtotals,
// and adds them to the rows' totals and the partnership's cash flow.
func (c *Compiled) month(xs []float64, i int, t int, r *FloatResult) {
	fp := &c.parts[i]
	M := c.months
	L := int(NumLines)
	tau := t - fp.launch
	own := fp.row + int(fp.ncat)
	if tau < 0 {
		for row := fp.row; row < own; row++ {
			r.Orders[row*M+t] = 0
			*(*[NumLines]float64)(r.Lines[(row*M+t)*L:]) = [NumLines]float64{}
		}
		c.ownMonth(xs, i, t, 0, 0, 0, r)
		return
	}
	// Volumes.
	total := 0.0
	for g := fp.grp0; g < fp.grp0+fp.ngrp; g++ {
		r.gvol[g] = 0
	}
	for j := fp.cat0; j < fp.cat0+fp.ncat; j++ {
		fc := &c.cats[j]
		cc := &r.cc[j]
		switch {
		case tau == 0:
			cc.growth, cc.gmGrowth = 1, cc.gm
		case cc.gm == cc.gmGrowth:
			cc.growth *= cc.gm
		default: // the growth rate differs from last month's
			cc.growth, cc.gmGrowth = math.Pow(cc.gm, float64(tau)), cc.gm
		}
		f := cc.growth
		if fc.seasonal {
			f *= xs[fc.season[t%12]]
		}
		if rm := int(fc.rampMonths); rm > 0 && tau < rm {
			rs := xs[fc.rampStart]
			f *= rs + (1-rs)*float64(tau)/float64(rm)
		}
		n := xs[fc.orders] * f
		r.Orders[(fp.row+int(j-fp.cat0))*M+t] = n
		total += n
		if fc.group != noDriver {
			if c.comms[c.groups[fc.group].comm].basis == basisOrders {
				r.gvol[fc.group] += n
			} else {
				r.gvol[fc.group] += n * cc.feeBase
			}
		}
	}
	// Effective rates of volume-tiered terms.
	for g := fp.grp0; g < fp.grp0+fp.ngrp; g++ {
		cm := &c.comms[c.groups[g].comm]
		if v := r.gvol[g]; v > 0 {
			r.grate[g] = c.tierFee(cm, xs, v) / v
		} else {
			r.grate[g] = c.tierFee(cm, xs, 1)
		}
	}
	// Category lines. The partnership-level lines of a category row are
	// zero, so its subtotals are deriveFloat's with those terms left out
	// (subtracting zero changes no bit).
	netCommission, cashFlow := 0.0, 0.0
	for j := fp.cat0; j < fp.cat0+fp.ncat; j++ {
		fc := &c.cats[j]
		cc := &r.cc[j]
		row := fp.row + int(j-fp.cat0)
		n := r.Orders[row*M+t]
		commission, commRefund := n*cc.commission, n*cc.commRefund
		if fc.group != noDriver {
			cm := &c.comms[fc.comm]
			rate := r.grate[fc.group]
			fees, back := 0.0, 0.0
			for k := fc.pt0; k < fc.pt0+fc.npt; k++ {
				pt := r.pc[k]
				fee := clampFee(cm, xs, rate*pt.base)
				fees += pt.share * fee
				if cm.refund {
					back += pt.share * refundedFee(cm, xs, fee)
				}
			}
			commission = n * (cc.units*fees + cc.orderFees)
			commRefund = n * cc.units * cc.returnRate * back
		}
		netCommission += commission - commRefund
		gmv := n * cc.gmv
		refunds := n * cc.refunds
		cogs := n * cc.cogs
		payment := n * cc.payment
		fulfilment := n * cc.fulfilment
		storage := xs[fc.storage]
		shipping := n * cc.shipping
		returns := n * cc.returns
		marketing := gmv * cc.marketing
		netSales := gmv - refunds
		cm1 := netSales - cogs
		cm2 := cm1 - commission + commRefund - payment - fulfilment - storage - shipping - returns
		cm3 := cm2 - marketing
		a := (*[NumLines]float64)(r.Lines[(row*M+t)*L:])
		a[LineGMV] = gmv
		a[LineRefunds] = refunds
		a[LineNetSales] = netSales
		a[LineCOGS] = cogs
		a[LineCM1] = cm1
		a[LineCommission] = commission
		a[LineCommissionRefund] = commRefund
		a[LineCommissionTrueUp] = 0
		a[LinePaymentFees] = payment
		a[LineFulfilment] = fulfilment
		a[LineStorage] = storage
		a[LineShipping] = shipping
		a[LineReturnHandling] = returns
		a[LineCM2] = cm2
		a[LineMarketing] = marketing
		a[LineMarketingFixed] = 0
		a[LineCM3] = cm3
		a[LineDataTransfer] = 0
		a[LineAPICalls] = 0
		a[LineSupport] = 0
		a[LineSupportStaff] = 0
		a[LineMaintenance] = 0
		a[LineContribution] = cm3
		a[LineSetup] = 0
		a[LineNetCashFlow] = cm3
		a[LineAmortisation] = 0
		a[LineAccountingProfit] = cm3
		tot := (*[NumLines]float64)(r.RowTotals[row*L:])
		tot[LineGMV] += gmv
		tot[LineRefunds] += refunds
		tot[LineCOGS] += cogs
		tot[LineCommission] += commission
		tot[LineCommissionRefund] += commRefund
		tot[LinePaymentFees] += payment
		tot[LineFulfilment] += fulfilment
		tot[LineStorage] += storage
		tot[LineShipping] += shipping
		tot[LineReturnHandling] += returns
		tot[LineMarketing] += marketing
		cashFlow += cm3
	}
	c.ownMonth(xs, i, t, total, netCommission, cashFlow, r)
	r.PartnershipOrders[i] += total
}

// ownMonth computes partnership i's own row in month t from the month's
// orders and net commission over its categories, and records the
// partnership's net cash flow, the categories' (cashFlow) and its own.
func (c *Compiled) ownMonth(xs []float64, i, t int, total, netCommission, cashFlow float64, r *FloatResult) {
	fp := &c.parts[i]
	M := c.months
	L := int(NumLines)
	own := fp.row + int(fp.ncat)
	r.Orders[own*M+t] = 0
	a := (*[NumLines]float64)(r.Lines[(own*M+t)*L:])
	*a = [NumLines]float64{}
	if t >= fp.launch {
		if m := xs[fp.minComm]; m > 0 {
			if short := m - netCommission; short > 0 {
				a[LineCommissionTrueUp] = short
			}
		}
		if fp.marketing {
			a[LineMarketingFixed] = xs[fp.mktMonthly]
		}
		if fp.dataTransfer {
			gb := total*xs[fp.gbPer1000]/1000 + xs[fp.fixedGB]
			a[LineDataTransfer] = c.cost(&fp.dtPricing, xs, gb)
		}
		if fp.api {
			calls := total*xs[fp.callsPerOrder] + xs[fp.fixedCall]
			a[LineAPICalls] = c.cost(&fp.apiPricing, xs, calls/1e6)
		}
		if fp.support {
			a[LineSupport] = total * xs[fp.tickets] * xs[fp.perTicket] / 1000
			a[LineSupportStaff] = xs[fp.staff]
		}
		maint := 0.0
		for _, it := range c.maints[fp.maint0 : fp.maint0+fp.nmaint] {
			maint += xs[it.hours]*xs[it.rate] + xs[it.monthly]
		}
		a[LineMaintenance] = maint
	}
	// Set-up spending in its month, and each month's share of its
	// amortisation, split as amortise splits it: equal shares rounded to
	// the minor unit, the last month taking the remainder.
	for _, s := range c.setups[fp.setup0 : fp.setup0+fp.nsetup] {
		from, k := int(s.month), int(s.amort)
		if t < from || t >= from+k {
			continue
		}
		amount := xs[s.amount]
		if t == from {
			a[LineSetup] += amount
		}
		share := c.round(c.round(amount) / float64(k))
		if t == from+k-1 {
			share = amount - float64(k-1)*share
		}
		a[LineAmortisation] += share
	}
	deriveFloat(a)
	tot := (*[NumLines]float64)(r.RowTotals[own*L:])
	for _, l := range ownRowLines {
		tot[l] += a[l]
	}
	r.PartnershipCashFlow[i*M+t] = cashFlow + a[LineNetCashFlow]
}

// ownRowLines are the base lines of a partnership's own row.
var ownRowLines = [...]Line{LineCommissionTrueUp, LineMarketingFixed, LineDataTransfer, LineAPICalls,
	LineSupport, LineSupportStaff, LineMaintenance, LineSetup, LineAmortisation}

// round rounds v to the minor unit, half away from zero.
func (c *Compiled) round(v float64) float64 { return math.Round(v*c.scale) / c.scale }

// cost mirrors VolumePricing.Cost.
func (c *Compiled) cost(v *fPricing, xs []float64, q float64) float64 {
	start, end := 0.0, q
	if v.shift {
		end = q - xs[v.allowance]
	} else {
		start = xs[v.allowance]
	}
	if end <= start {
		return 0
	}
	return marginalSumF(c.bands[v.band0:v.band0+v.nband], xs, start, end)
}

// marginalSumF charges each band's rate on the part of (start, end]
// inside the band; bands cover (previous bound, own bound]. It mirrors the
// exact graph.Builder.Marginal.
func marginalSumF(bands []fTier, xs []float64, start, end float64) float64 {
	sum, lo := 0.0, 0.0
	for _, b := range bands {
		from := max(lo, start)
		to := end
		up := 0.0
		if b.upTo != noDriver {
			up = xs[b.upTo]
			if up < to {
				to = up
			}
		}
		if to > from {
			sum += xs[b.rate] * (to - from)
		}
		if b.upTo == noDriver || !(up < end) {
			break
		}
		lo = up
	}
	return sum
}

// deriveFloat recomputes the subtotals of a from its base lines: the formulas
// of Line.Terms, term by term in the same order, in waterfall order, as
// Amounts.derive computes them (a test holds the two together).
func deriveFloat(a *[NumLines]float64) {
	a[LineNetSales] = a[LineGMV] - a[LineRefunds]
	a[LineCM1] = a[LineNetSales] - a[LineCOGS]
	a[LineCM2] = a[LineCM1] - a[LineCommission] + a[LineCommissionRefund] - a[LineCommissionTrueUp] -
		a[LinePaymentFees] - a[LineFulfilment] - a[LineStorage] - a[LineShipping] - a[LineReturnHandling]
	a[LineCM3] = a[LineCM2] - a[LineMarketing] - a[LineMarketingFixed]
	a[LineContribution] = a[LineCM3] - a[LineDataTransfer] - a[LineAPICalls] - a[LineSupport] -
		a[LineSupportStaff] - a[LineMaintenance]
	a[LineNetCashFlow] = a[LineContribution] - a[LineSetup]
	a[LineAccountingProfit] = a[LineContribution] - a[LineAmortisation]
}

// finish derives the totals' subtotals, sums the partnerships into the
// portfolio and computes NPVs and payback months.
func (c *Compiled) finish(r *FloatResult) {
	M := c.months
	L := int(NumLines)
	clear(r.CashFlow)
	r.Total = [NumLines]float64{}
	r.TotalOrders = 0
	for i := range c.parts {
		fp := &c.parts[i]
		pt := (*[NumLines]float64)(r.PartnershipTotals[i*L:])
		*pt = [NumLines]float64{}
		for row := fp.row; row <= fp.row+int(fp.ncat); row++ {
			tot := (*[NumLines]float64)(r.RowTotals[row*L:])
			deriveFloat(tot)
			for l := range pt {
				pt[l] += tot[l]
			}
		}
		deriveFloat(pt)
		for l := range pt {
			r.Total[l] += pt[l]
		}
		r.TotalOrders += r.PartnershipOrders[i]
		flows := r.PartnershipCashFlow[i*M : i*M+M]
		r.PartnershipNPV[i], r.PartnershipPayback[i] = c.measure(flows, r.df)
		for t := range M {
			r.CashFlow[t] += flows[t]
		}
	}
	deriveFloat(&r.Total)
	r.NPV, r.Payback = c.measure(r.CashFlow, r.df)
}

// measure returns the NPV of flows under the discount factors df and the
// 1-based payback month (0 when never reached).
func (c *Compiled) measure(flows, df []float64) (npv float64, payback int) {
	cum := 0.0
	started := false // payback counts from the first non-zero flow (see PaybackMonth)
	for t, f := range flows {
		npv += f * df[t]
		cum += f
		started = started || f != 0
		if started && payback == 0 && cum >= 0 {
			payback = t + 1
		}
	}
	return npv, payback
}

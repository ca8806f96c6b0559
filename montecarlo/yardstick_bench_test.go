package montecarlo

// The yardstick: BenchmarkRun's workload written by hand as a straight-line
// float64 loop, to measure the library's simulation against. It shares the
// engine's sampling (streams per input and block, Latin Hypercube,
// Iman–Conover, quantile transforms, clamping), its block layout and its
// statistics (describe and the contribution's sensitivity); only the model
// is hand-written, for that one portfolio's fee shapes and computing only
// what the recorded outputs need (each partnership's contribution and the
// portfolio's contribution and NPV).
//
// What it folds and what it does not. Everything that no uncertain driver
// reaches is folded to constants once, before the trials: the per-order
// margins of every category, the volume factors (growth × seasonality ×
// ramp) of every month, the categories whose drivers are all certain, the
// fixed monthly costs, the discount factors. Per trial it then walks, month
// by month, the categories an uncertain driver touches, as a straight-line
// loop: orders × volume factor × margin, the month's orders and fee-base
// volume, and for the volume-tiered partnerships the month's tier fee,
// minimum-commission true-up and banded data-transfer and API costs. It
// does not collapse a linear partnership's months into one product (Σ_t
// orders × f_t × margin = orders × margin × Σ_t f_t), which a generic back
// end evaluating the statement month by month cannot do either: the
// yardstick measures the cost of interpreting the model, not a cleverer
// formula.

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// ysCat is one category an uncertain driver touches, with its month-by-
// month volume factors and the per-order margin's parts: the margin per
// order is A − rr×B − u×(1 − rr)×unitCost (every line of the category
// except the volume-tiered commission, the storage and the partnership's
// own lines, with the support cost per order folded in).
type ysCat struct {
	f              []float64 // M: volume factor, 0 before launch
	orders         float64   // base orders per month
	A, B, u        float64
	rr, unitCost   float64 // base values
	feeBase        float64 // fee base per order, for volume-tiered terms
	ordersIn       int     // input index or -1
	rrIn, ucIn     int
	ordersDriverAt int // position in the input's driver list
	rrAt, ucAt     int
}

// ysPart is one partnership: its live categories and the folded rest.
type ysPart struct {
	launch  int
	cats    []ysCat
	cf      []float64 // M: constant part of the monthly contribution
	orders  []float64 // M: orders of the certain categories
	vol     []float64 // M: their fee-base volume (volume-tiered terms)
	tiered  bool      // volume-tiered commission, minimum, data transfer, API
	tiers   [][2]float64
	minComm float64
	dtPerO  float64 // GB per order
	dtFixed float64
	dtAllow float64
	dtBands [][2]float64
	apiPerO float64
	apiFix  float64
	apiBand [][2]float64
	setup   []float64 // M: set-up spending (cash flow only)
}

type yardstick struct {
	sp       *specPlan
	opt      Options
	months   int
	df       []float64
	parts    []ysPart
	outs     []scenario.Output
	npvSetup float64 // Σ_t setup_t × df_t over the portfolio
}

func fl(d interface{ InexactFloat64() float64 }) float64 { return d.InexactFloat64() }

// marginalF charges each band's rate on the part of (start, end] inside it.
func marginalF(bands [][2]float64, start, end float64) float64 {
	sum, lo := 0.0, 0.0
	for _, b := range bands {
		from, to := max(lo, start), min(end, b[0])
		if to > from {
			sum += b[1] * (to - from)
		}
		if !(b[0] < end) {
			break
		}
		lo = b[0]
	}
	return sum
}

// newYardstick builds the hand-specialised model of the benchmark
// portfolio under spec. It checks that the portfolio has the shapes it was
// written for.
func newYardstick(p *costmodel.Portfolio, spec *Spec, trials int, seed uint64) (*yardstick, error) {
	sp, err := spec.plan(p)
	if err != nil {
		return nil, err
	}
	M := p.Months
	y := &yardstick{sp: sp, months: M, df: make([]float64, M),
		opt: Options{Trials: trials, Seed: seed, BlockSize: DefaultBlockSize, Bins: 30, TailShare: 0.05,
			Percentiles: []float64{0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99}, Levels: []float64{0.95, 0.99}}}
	f := math.Pow(1+fl(p.DiscountRate), 1.0/12)
	df := 1.0
	for t := range M {
		df /= f
		y.df[t] = df
	}
	// Where each uncertain driver is: address → (input, position).
	type at struct{ in, k int }
	where := map[string]at{}
	drivers := p.Drivers()
	for i, ip := range sp.inputs {
		if ip.op == costmodel.Add || ip.month {
			return nil, fmt.Errorf("yardstick: input %s: written for set and multiply inputs drawn once per trial", ip.label)
		}
		for k, d := range ip.drivers {
			where[drivers[d].Address] = at{i, k}
		}
	}
	unclaimed := len(where)
	huge := math.Inf(1)
	bound := func(d interface{ InexactFloat64() float64 }, isNil bool) float64 {
		if isNil {
			return huge
		}
		return fl(d)
	}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		y.outs = append(y.outs, scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
		pt := ysPart{launch: ps.LaunchMonth, cf: make([]float64, M), orders: make([]float64, M), vol: make([]float64, M), setup: make([]float64, M)}
		if ps.Support == nil || ps.Marketing == nil || len(ps.Setup) != 1 || len(ps.Maintenance) != 1 || ps.Setup[0].Month != 0 {
			return nil, fmt.Errorf("yardstick: partnership %s has a shape it was not written for", ps.ID)
		}
		pt.setup[0] = fl(ps.Setup[0].Amount)
		supportPO := fl(ps.Support.TicketsPer1000Orders) * fl(ps.Support.CostPerTicket) / 1000
		fixed := fl(ps.Marketing.Monthly) + fl(ps.Support.StaffMonthly) +
			fl(ps.Maintenance[0].Hours)*fl(ps.Maintenance[0].HourlyRate) + fl(ps.Maintenance[0].Monthly)
		cm := ps.Commission
		if cm != nil && cm.TierBasis == costmodel.MonthlyGMV {
			pt.tiered = true
			if cm.TierMode != costmodel.Marginal || !cm.MinPerItem.IsZero() || cm.CapPerItem != nil || cm.Refund != nil ||
				!cm.PerOrderFee.IsZero() || cm.IncludeShipping || ps.DataTransfer == nil || ps.API == nil ||
				ps.DataTransfer.Pricing.AllowanceMode == costmodel.Shift || !ps.API.Pricing.Allowance.IsZero() {
				return nil, fmt.Errorf("yardstick: volume-tiered partnership %s has a shape it was not written for", ps.ID)
			}
			for _, t := range cm.Tiers {
				pt.tiers = append(pt.tiers, [2]float64{bound(t.UpTo, t.UpTo == nil), fl(t.Rate)})
			}
			pt.minComm = fl(ps.MinimumCommission)
			dt := ps.DataTransfer
			pt.dtPerO, pt.dtFixed, pt.dtAllow = fl(dt.GBPer1000Orders)/1000, fl(dt.FixedGB), fl(dt.Pricing.Allowance)
			for _, b := range dt.Pricing.Bands {
				pt.dtBands = append(pt.dtBands, [2]float64{bound(b.UpTo, b.UpTo == nil), fl(b.Price)})
			}
			pt.apiPerO, pt.apiFix = fl(ps.API.CallsPerOrder), fl(ps.API.FixedCalls)
			for _, b := range ps.API.Pricing.Bands {
				pt.apiBand = append(pt.apiBand, [2]float64{bound(b.UpTo, b.UpTo == nil), fl(b.Price)})
			}
		} else if !ps.MinimumCommission.IsZero() || ps.DataTransfer != nil || ps.API != nil {
			return nil, fmt.Errorf("yardstick: partnership %s has a shape it was not written for", ps.ID)
		}
		for t := ps.LaunchMonth; t < M; t++ {
			pt.cf[t] -= fixed
		}
		for j := range ps.Categories {
			c := &ps.Categories[j]
			if c.Commission != nil || len(c.Seasonality) != 12 || p.Start.Month != 1 {
				return nil, fmt.Errorf("yardstick: category %s/%s has a shape it was not written for", ps.ID, c.ID)
			}
			u, ship := fl(c.UnitsPerOrder), fl(c.ShippingCharge)
			shipPerItem := 0.0
			if cm != nil && cm.IncludeShipping {
				shipPerItem = ship / u
			}
			mix := c.PriceMix
			if len(mix) == 0 {
				mix = []costmodel.PricePoint{{Price: c.Price, Share: decimal.NewFromInt(1)}}
			}
			// Per-order sums over the price points; prices are certain.
			var gmv, revenue, payment, fees, orderFees, back, feeBase float64
			for _, pp := range mix {
				price, share := fl(pp.Price), fl(pp.Share)
				base := price + shipPerItem
				orderTotal := price*u + ship
				gmv += share * (u*price + ship)
				revenue += share * u * price
				feeBase += share * base
				if pf := ps.Payment; pf != nil {
					fee := fl(pf.Rate)*orderTotal + fl(pf.Fixed)
					if pf.Cap != nil {
						fee = min(fee, fl(*pf.Cap))
					}
					payment += share * fee
				}
				if cm == nil || pt.tiered {
					continue
				}
				of := fl(cm.PerOrderFee)
				if cm.PerOrderThreshold != nil && orderTotal > fl(*cm.PerOrderThreshold)*(1+1e-14) {
					of = fl(cm.PerOrderFeeAbove)
				}
				orderFees += share * of
				var fee float64
				switch {
				case len(cm.Tiers) == 0:
					fee = fl(cm.Rate) * base
				case cm.TierMode == costmodel.Marginal:
					var tiers [][2]float64
					for _, t := range cm.Tiers {
						tiers = append(tiers, [2]float64{bound(t.UpTo, t.UpTo == nil), fl(t.Rate)})
					}
					fee = marginalF(tiers, 0, base)
				default:
					for _, t := range cm.Tiers {
						if t.UpTo == nil || base <= fl(*t.UpTo)*(1+1e-14) {
							fee = fl(t.Rate) * base
							break
						}
					}
				}
				fee = max(fee, fl(cm.MinPerItem))
				if cm.CapPerItem != nil {
					fee = min(fee, fl(*cm.CapPerItem))
				}
				fees += share * fee
				if r := cm.Refund; r != nil {
					admin := fl(r.AdminRate) * fee
					if r.AdminFixed != nil {
						admin = min(admin, fl(*r.AdminFixed))
					}
					back += share * (fee - admin)
				}
			}
			mkt := fl(ps.Marketing.Rate)
			yc := ysCat{
				f:        make([]float64, M),
				orders:   fl(c.Orders),
				A:        gmv*(1-mkt) - (u*fees + orderFees) - payment - u*fl(c.FulfilmentCost) - fl(c.ShippingCost) - supportPO,
				B:        revenue - u*back + u*fl(c.ReturnCost),
				u:        u,
				rr:       fl(c.ReturnRate),
				unitCost: fl(c.UnitCost),
				ordersIn: -1, rrIn: -1, ucIn: -1,
			}
			if pt.tiered {
				yc.feeBase = u * feeBase
			}
			gm := math.Pow(1+fl(c.Growth), 1.0/12)
			growth := 1.0
			rs := fl(c.RampStart)
			for t := ps.LaunchMonth; t < M; t++ {
				tau := t - ps.LaunchMonth
				v := growth * fl(c.Seasonality[t%12])
				if c.RampMonths > 0 && tau < c.RampMonths {
					v *= rs + (1-rs)*float64(tau)/float64(c.RampMonths)
				}
				yc.f[t] = v
				growth *= gm
			}
			prefix := ps.ID + "/" + c.ID + "/"
			live := false
			for field, in := range map[string]*int{"orders": &yc.ordersIn, "return_rate": &yc.rrIn, "unit_cost": &yc.ucIn} {
				if w, ok := where[prefix+field]; ok {
					*in = w.in
					switch field {
					case "orders":
						yc.ordersDriverAt = w.k
					case "return_rate":
						yc.rrAt = w.k
					default:
						yc.ucAt = w.k
					}
					live = true
					unclaimed--
				}
			}
			if live {
				for t := ps.LaunchMonth; t < M; t++ {
					pt.cf[t] -= fl(c.StorageMonthly)
				}
				pt.cats = append(pt.cats, yc)
				continue
			}
			m := yc.A - yc.rr*yc.B - yc.u*(1-yc.rr)*yc.unitCost
			for t := ps.LaunchMonth; t < M; t++ {
				n := yc.orders * yc.f[t]
				pt.cf[t] += n*m - fl(c.StorageMonthly)
				pt.orders[t] += n
				pt.vol[t] += n * yc.feeBase
			}
		}
		for t := range M {
			y.npvSetup += pt.setup[t] * y.df[t]
		}
		y.parts = append(y.parts, pt)
	}
	if unclaimed != 0 {
		return nil, fmt.Errorf("yardstick: %d uncertain drivers it was not written for", unclaimed)
	}
	y.outs = append([]scenario.Output{contribution, {Scope: scenario.Portfolio, Metric: scenario.NPV}}, y.outs...)
	return y, nil
}

// ysWorker is one goroutine's scratch.
type ysWorker struct {
	draws [][]float64
	corr  [][]float64
	m     []float64 // per live category: margin per order this trial
	o     []float64 // per live category: orders this trial
	pcf   []float64 // M: the portfolio's contribution by month
	clamp []int
	err   error
}

type ysRun struct {
	y       *yardstick
	inputs  [][]float64
	outputs [][]float64 // [output][trial]: portfolio contribution, NPV, then each partnership's
}

// block simulates block b, as engine.block does.
func (r *ysRun) block(w *ysWorker, b, start, n int) {
	y, sp := r.y, r.y.sp
	for i := range sp.inputs {
		w.draws[i] = sp.sampler.Uniforms(w.draws[i], n, Stream(y.opt.Seed, sp.inputs[i].label, b))
	}
	for g := range sp.corrs {
		cp := &sp.corrs[g]
		w.corr = w.corr[:0]
		for _, i := range cp.inputs {
			w.corr = append(w.corr, w.draws[i][:n])
		}
		if err := ImanConover(w.corr, cp.matrix, Stream(y.opt.Seed, fmt.Sprintf("correlation/%d", g), b)); err != nil {
			w.err = err
		}
	}
	for i := range sp.inputs {
		d := w.draws[i][:n]
		for j := range d {
			d[j] = sp.inputs[i].dist.Quantile(d[j])
			if math.IsNaN(d[j]) || math.IsInf(d[j], 0) {
				w.err = fmt.Errorf("input %s drew %v", sp.inputs[i].label, d[j])
			}
		}
	}
	M := y.months
	for j := range n {
		trial := start + j
		clear(w.pcf)
		total := 0.0
		for i := range y.parts {
			pt := &y.parts[i]
			// This trial's orders and margins of the live categories.
			for k := range pt.cats {
				c := &pt.cats[k]
				o, rr, uc := c.orders, c.rr, c.unitCost
				if c.ordersIn >= 0 {
					o = r.value(w, c.ordersIn, c.ordersDriverAt, j, o)
				}
				if c.rrIn >= 0 {
					rr = r.value(w, c.rrIn, c.rrAt, j, rr)
				}
				if c.ucIn >= 0 {
					uc = r.value(w, c.ucIn, c.ucAt, j, uc)
				}
				w.o[k] = o
				w.m[k] = c.A - rr*c.B - c.u*(1-rr)*uc
			}
			contrib := 0.0
			for t := pt.launch; t < M; t++ {
				cf, orders, vol := pt.cf[t], pt.orders[t], pt.vol[t]
				for k := range pt.cats {
					c := &pt.cats[k]
					n := w.o[k] * c.f[t]
					cf += n * w.m[k]
					orders += n
					vol += n * c.feeBase
				}
				if pt.tiered {
					comm := marginalF(pt.tiers, 0, vol)
					cf -= comm
					if short := pt.minComm - comm; pt.minComm > 0 && short > 0 {
						cf -= short
					}
					cf -= marginalF(pt.dtBands, pt.dtAllow, orders*pt.dtPerO+pt.dtFixed)
					cf -= marginalF(pt.apiBand, 0, (orders*pt.apiPerO+pt.apiFix)/1e6)
				}
				contrib += cf
				w.pcf[t] += cf
			}
			r.outputs[2+i][trial] = contrib
			total += contrib
		}
		npv := -y.npvSetup
		for t, v := range w.pcf {
			npv += v * y.df[t]
		}
		r.outputs[0][trial] = total
		r.outputs[1][trial] = npv
		for i := range sp.inputs {
			r.inputs[i][trial] = w.draws[i][j]
		}
	}
}

// value is driver k of input i in trial j, clamped as the engine clamps.
func (r *ysRun) value(w *ysWorker, i, k, j int, base float64) float64 {
	v, c := r.y.sp.inputs[i].value(w.draws[i][j], k, base)
	if c {
		w.clamp[i]++
	}
	return v
}

// run simulates the trials on the workers and computes the statistics the
// engine computes for these outputs.
func (y *yardstick) run(workers int) (*Result, error) {
	trials := y.opt.Trials
	r := &ysRun{y: y, inputs: make([][]float64, len(y.sp.inputs)), outputs: make([][]float64, len(y.outs))}
	for i := range r.inputs {
		r.inputs[i] = make([]float64, trials)
	}
	for i := range r.outputs {
		r.outputs[i] = make([]float64, trials)
	}
	e := &engine{opt: y.opt}
	nb := e.numBlocks()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for wk := range workers {
		wg.Go(func() {
			live := 0
			for _, pt := range y.parts {
				live = max(live, len(pt.cats))
			}
			w := &ysWorker{draws: make([][]float64, len(y.sp.inputs)), m: make([]float64, live), o: make([]float64, live),
				pcf: make([]float64, y.months), clamp: make([]int, len(y.sp.inputs))}
			for {
				b := int(next.Add(1) - 1)
				if b >= nb {
					break
				}
				start, n := e.span(b)
				r.block(w, b, start, n)
			}
			errs[wk] = w.err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// The statistics as the engine computes them (engine.result): the
	// outputs described on the workers, an output at a time, with one
	// sort buffer per worker, then the sensitivity ranked on the workers.
	res := &Result{Trials: trials, Seed: y.opt.Seed, InputSamples: r.inputs, Outputs: make([]OutputResult, len(y.outs))}
	scratch := make([][]float64, workers)
	next.Store(0)
	errs = make([]error, len(y.outs))
	for wk := range min(workers, len(y.outs)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(y.outs) {
					return
				}
				res.Outputs[k], errs[k] = describe(y.outs[k], r.outputs[k], nil, &y.opt, nil, &scratch[wk])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	s, err := sensitivity(r.inputs, r.outputs[0], y.opt.TailShare, workers, scratch)
	if err != nil {
		return nil, err
	}
	res.Sensitivity = []OutputSensitivity{{Output: y.outs[0], Inputs: s}}
	return res, nil
}

// benchOutputs are BenchmarkRun's recorded outputs.
func benchOutputs(p *costmodel.Portfolio) []scenario.Output {
	outs := []scenario.Output{contribution, {Metric: scenario.NPV}}
	for _, ps := range p.Partnerships {
		outs = append(outs, scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
	}
	return outs
}

// BenchmarkYardstick reports the trials per second of the hand-written
// loop on BenchmarkRun's workload (same trials, seed, block size and
// statistics), on one and two workers. BenchmarkRun's trials/s over this
// one's is the library's distance from the straight-line loop.
//
// The yardstick is built once, outside the timed loop: resolving the spec
// (Spec.plan matches every input's pattern against every driver address)
// and folding the certain part of the model are set-up, reported apart as
// setup-ms, so that the yardstick is the loop and its statistics alone
// (computed on the workers, as a run computes them). BenchmarkRun pays
// its spec resolution inside its timing, and its model build through the
// compiled-model cache (once; BenchmarkRunUncached every time).
func BenchmarkYardstick(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	const trials = 4000
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			if workers > runtime.GOMAXPROCS(0) {
				b.Skip("fewer cores than workers")
			}
			t0 := time.Now()
			y, err := newYardstick(p, spec, trials, 1)
			if err != nil {
				b.Fatal(err)
			}
			setup := time.Since(t0)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r, err := y.run(workers)
				if err != nil {
					b.Fatal(err)
				}
				sinkRun = r
			}
			b.ReportMetric(float64(trials)*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
			b.ReportMetric(float64(setup.Microseconds())/1000, "setup-ms")
		})
	}
}

// TestYardstickAgreesWithRun holds the yardstick honest: on the same seed
// it draws what Run draws, so its outputs must be Run's. Each output's mean
// must agree with Run's within a tenth of Run's standard error of that
// mean (far inside the sampling noise, so a yardstick that left out a line
// or a fee, or mis-sampled, would fail), and every trial within a relative
// 1e−9 of the output's spread (float rounding in a different order only).
func TestYardstickAgreesWithRun(t *testing.T) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	const trials = 2000
	outs := benchOutputs(p)
	want, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 7, Workers: 1, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	y, err := newYardstick(p, spec, trials, 7)
	if err != nil {
		t.Fatal(err)
	}
	got, err := y.run(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Outputs) != len(want.Outputs) {
		t.Fatalf("%d outputs, want %d", len(got.Outputs), len(want.Outputs))
	}
	for k := range want.Outputs {
		w, g := &want.Outputs[k], &got.Outputs[k]
		if w.Output != g.Output {
			t.Fatalf("output %d is %s, want %s", k, g.Output, w.Output)
		}
		se := w.Summary.SE
		if !(se > 0) {
			t.Fatalf("%s: standard error %v, want > 0 (the inputs reach every output)", w.Output, se)
		}
		if d := math.Abs(g.Summary.Mean - w.Summary.Mean); !(d <= se/10) {
			t.Errorf("%s: yardstick mean %.6f, Run's %.6f: differ by %.3g, more than SE/10 = %.3g", w.Output, g.Summary.Mean, w.Summary.Mean, d, se/10)
		}
		worst := 0.0
		for j := range w.Samples {
			worst = max(worst, math.Abs(g.Samples[j]-w.Samples[j]))
		}
		if tol := 1e-9 * (w.Summary.Max - w.Summary.Min); !(worst <= tol) {
			t.Errorf("%s: a trial differs from Run's by %.3g, more than %.3g", w.Output, worst, tol)
		}
	}
	for i := range want.InputSamples {
		for j := range want.InputSamples[i] {
			if got.InputSamples[i][j] != want.InputSamples[i][j] {
				t.Fatalf("input %s trial %d drew %v, Run drew %v", want.Inputs[i], j, got.InputSamples[i][j], want.InputSamples[i][j])
			}
		}
	}
	g, w := got.Sensitivity[0].Inputs, want.Sensitivity[0].Inputs
	for i := range w {
		if math.Abs(g[i].RankCorrelation-w[i].RankCorrelation) > 1e-9 {
			t.Errorf("sensitivity to %s: %v, Run's %v", want.Inputs[i], g[i].RankCorrelation, w[i].RankCorrelation)
		}
	}
}

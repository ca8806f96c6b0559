package costmodel

import "github.com/shopspring/decimal"

// Line is one line of the statement. Base lines are computed from the
// inputs and rounded once to the currency's minor unit; subtotal lines
// (LineNetSales, LineCM1, LineCM2, LineCM3, LineContribution, LineNetCashFlow, LineAccountingProfit)
// are sums of rounded base lines, so every statement foots to the cent.
// Cost lines hold positive amounts that are subtracted; LineCommissionRefund
// holds the positive amount credited back.
type Line int

// The statement's lines, in waterfall order.
const (
	LineGMV                   Line = iota // items + shipping charged, before returns
	LineRefunds                           // item value refunded on returns
	LineNetSales                          // = LineGMV − LineRefunds
	LineCOGS                              // cost of the items kept by customers
	LineImportDuty                        // import duty on a cross-border lane (Lane)
	LineImportVAT                         // import VAT/GST the seller pays and cannot recover (Lane, VAT "absorbed")
	LineCM1                               // = LineNetSales − LineCOGS
	LineCommission                        // marketplace fees charged (item + per-order)
	LineCommissionRefund                  // commission credited back on returns, net of admin fees
	LineCommissionTrueUp                  // shortfall under a monthly minimum guarantee (partnership level)
	LinePaymentFees                       // payment processing, not refunded on returns
	LineFulfilment                        // pick, pack, packaging per item
	LineStorage                           // storage fees
	LineShipping                          // outbound carrier cost
	LineInternationalShipping             // cross-border shipping per order (Lane)
	LineReturnHandling                    // handling of returned items
	LineReturnShipping                    // shipping returned orders back across the border (Lane)
	LineFXFee                             // the provider's fee for converting a lane's net sales (Lane)
	LineFulfilmentOverflow                // premium on units over the fulfilment capacity (partnership level)
	LineCM2                               // = LineCM1 − variable selling costs
	LineMarketing                         // percent-of-GMV marketing
	LineMarketingFixed                    // fixed monthly marketing (partnership level)
	LineCM3                               // = LineCM2 − LineMarketing − LineMarketingFixed
	LineDataTransfer                      // integration data transfer (partnership level)
	LineDataTransferOverage               // data transfer above a committed volume (partnership level)
	LineAPICalls                          // integration API requests (partnership level)
	LineAPIPremium                        // premium tier fee in months over the API rate limit (partnership level)
	LineSupport                           // support tickets (partnership level)
	LineSupportStaff                      // fixed support staff (partnership level)
	LineSupportOverflow                   // support over staff capacity: extra agents and hiring, or overtime (partnership level)
	LineMaintenance                       // engineering and licences (partnership level)
	// Outage lines (Outage, graphoutage.go): zero without one.
	LineOutageLostContribution // contribution lost with the GMV lost in outages (partnership level)
	LineOutageFallback         // cost of the fallback path during outages (partnership level)
	LineOutageCredit           // service credits and penalties: + earned, − paid (partnership level)
	LineContribution           // = LineCM3 − running costs: the partnership contribution
	LineSetup                  // one-time set-up spending, as paid
	LineNetCashFlow            // = LineContribution − LineSetup
	LineAmortisation           // set-up spread over its amortisation months (accounting view)
	LineAccountingProfit       // = LineContribution − LineAmortisation
	// The two sides' values for fairness (LevelSides), beside the
	// waterfall: none of them is part of our contribution.
	LinePartnerServeCost      // partner's cost to serve: per order and share of GMV (PartnerSide)
	LinePartnerFixedCost      // partner's fixed monthly cost (partnership level)
	LineServiceCredit         // uptime credit the partner owes us (partnership level; UptimeCredit)
	LineCustomerValue         // value to us of the customers acquired (partnership level)
	LinePartnerCustomerValue  // value to the partner of the customers acquired (partnership level)
	LinePartnerContribution   // = revenue share received − service credit − partner's costs
	LineOurValue              // = LineContribution + LineServiceCredit + LineCustomerValue
	LinePartnerValue          // = LinePartnerContribution + LinePartnerCustomerValue
	LineOutageLostGMV         // GMV lost in outages, net of recovery and fallback (memo; partnership level)
	LineOutageImpact          // = LineOutageCredit − LineOutageLostContribution − LineOutageFallback
	LineOutageDowntime        // downtime hours of the month, capped at its hours (memo: hours, not money; partnership level)
	LineOutageContingencyGain // contribution the contingency keeps less its fallback cost (memo; partnership level)
	NumLines                  // number of lines; not a line
)

// String is the line's snake_case key ("net_sales"), used in CSV and JSON.
func (l Line) String() string { return l.Info().Name }

// Label is the line's name for people ("Net sales").
func (l Line) Label() string { return l.Info().Label }

// IsSubtotal reports whether the line is a sum of other lines.
func (l Line) IsSubtotal() bool { return len(l.Info().Terms) > 0 }

// Terms returns the lines a subtotal sums and the sign of each (+1 or
// −1): LineCM1 is LineNetSales (+1) and LineCOGS (−1). It returns nil for
// a base line. The model graph builds its subtotal nodes from them, so
// every back end (the exact statement, the simulation, the workbook's
// formulas) foots the same way. The slice is shared: do not modify it.
func (l Line) Terms() []Term { return l.Info().Terms }

// Term is one signed part of a subtotal.
type Term struct {
	Line Line
	Sign int
}

// Amounts holds one value per line.
type Amounts [NumLines]decimal.Decimal

// Block is a set of lines month by month, with their totals over the
// horizon and the expected orders behind them.
type Block struct {
	Monthly []Amounts         // one per month of the horizon
	Total   Amounts           // the sum of Monthly
	Orders  []decimal.Decimal // expected orders per month (not rounded)
}

// TotalOrders is the expected order count over the horizon (0 for a nil
// block, which has no months).
func (b *Block) TotalOrders() decimal.Decimal {
	s := decimal.Zero
	if b == nil {
		return s
	}
	for _, o := range b.Orders {
		s = s.Add(o)
	}
	return s
}

// Series returns one line month by month; nil for a nil block or a Line
// that is not one of the statement's.
func (b *Block) Series(l Line) []decimal.Decimal {
	if b == nil || l < 0 || l >= NumLines {
		return nil
	}
	out := make([]decimal.Decimal, len(b.Monthly))
	for m := range b.Monthly {
		out[m] = b.Monthly[m][l]
	}
	return out
}

// Statement is the exact monthly statement of a portfolio.
type Statement struct {
	Currency Currency
	Start    Month
	Months   int
	// MonthlyRate is the monthly discount rate used for NPV.
	MonthlyRate  decimal.Decimal
	Partnerships []PartnershipStatement
	// ByChannel and ByCategory roll the partnerships up, sorted by key. The
	// category roll-up holds category lines only; partnership-level lines
	// (running costs, fixed marketing, set-up, true-ups) are in
	// PartnershipLevel, so categories plus PartnershipLevel equal Portfolio.
	ByChannel        []Rollup
	ByCategory       []Rollup
	PartnershipLevel Block
	Portfolio        Block
	// Measures are the portfolio's cash-flow measures.
	Measures Measures
	// Allocated is the fully loaded view (allocation.go): the same
	// statement with the partnership-level lines the portfolio's
	// allocation rules cover moved from each partnership's own row to its
	// categories, so categories, category roll-ups and PartnershipLevel
	// differ and everything else is the same (and shared). Nil when the
	// portfolio has no allocation rules.
	Allocated *Statement
}

// PartnershipStatement is one partnership's lines.
type PartnershipStatement struct {
	ID, Name, Channel string
	Categories        []CategoryStatement
	// Own holds the partnership-level lines (no category).
	Own Block
	// Total is the sum of the categories and Own.
	Total    Block
	Measures Measures
	// Outage reports whether the partnership has outage terms
	// (Partnership.Outage), so that its outage lines are modelled.
	Outage bool
}

// CategoryStatement is one category's lines within a partnership.
type CategoryStatement struct {
	ID, Name string
	Block
	// LandedCost is the landed cost per unit month by month, for a
	// category of a partnership with a Lane (nil otherwise): unit cost +
	// (import duty + import VAT absorbed + international shipping) per
	// order ÷ units per order, in the partnership's currency, rounded to
	// its minor unit; zero before the category's launch. It is a figure
	// per unit, not a line: it is not converted or summed.
	LandedCost []decimal.Decimal
}

// Rollup is a sum of blocks under one key (a channel or a category ID).
type Rollup struct {
	Key string
	Block
}

// Series returns one line month by month (nil for a nil category).
func (c *CategoryStatement) Series(l Line) []decimal.Decimal {
	if c == nil {
		return nil
	}
	return c.Block.Series(l)
}

// TotalOrders is the expected order count over the horizon (0 for a nil
// category, which has no months).
func (c *CategoryStatement) TotalOrders() decimal.Decimal {
	if c == nil {
		return decimal.Zero
	}
	return c.Block.TotalOrders()
}

// Series returns one line month by month (nil for a nil roll-up).
func (r *Rollup) Series(l Line) []decimal.Decimal {
	if r == nil {
		return nil
	}
	return r.Block.Series(l)
}

// TotalOrders is the expected order count over the horizon (0 for a nil
// roll-up, which has no months).
func (r *Rollup) TotalOrders() decimal.Decimal {
	if r == nil {
		return decimal.Zero
	}
	return r.Block.TotalOrders()
}

// Partnership returns the statement of the partnership with the given ID.
func (s *Statement) Partnership(id string) (*PartnershipStatement, bool) {
	if s == nil {
		return nil, false
	}
	for i := range s.Partnerships {
		if s.Partnerships[i].ID == id {
			return &s.Partnerships[i], true
		}
	}
	return nil, false
}

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
	LineGMV              Line = iota // items + shipping charged, before returns
	LineRefunds                      // item value refunded on returns
	LineNetSales                     // = LineGMV − LineRefunds
	LineCOGS                         // cost of the items kept by customers
	LineCM1                          // = LineNetSales − LineCOGS
	LineCommission                   // marketplace fees charged (item + per-order)
	LineCommissionRefund             // commission credited back on returns, net of admin fees
	LineCommissionTrueUp             // shortfall under a monthly minimum guarantee (partnership level)
	LinePaymentFees                  // payment processing, not refunded on returns
	LineFulfilment                   // pick, pack, packaging per item
	LineStorage                      // storage fees
	LineShipping                     // outbound carrier cost
	LineReturnHandling               // handling of returned items
	LineCM2                          // = LineCM1 − variable selling costs
	LineMarketing                    // percent-of-GMV marketing
	LineMarketingFixed               // fixed monthly marketing (partnership level)
	LineCM3                          // = LineCM2 − LineMarketing − LineMarketingFixed
	LineDataTransfer                 // integration data transfer (partnership level)
	LineAPICalls                     // integration API requests (partnership level)
	LineSupport                      // support tickets (partnership level)
	LineSupportStaff                 // fixed support staff (partnership level)
	LineMaintenance                  // engineering and licences (partnership level)
	LineContribution                 // = LineCM3 − running costs: the partnership contribution
	LineSetup                        // one-time set-up spending, as paid
	LineNetCashFlow                  // = LineContribution − LineSetup
	LineAmortisation                 // set-up spread over its amortisation months (accounting view)
	LineAccountingProfit             // = LineContribution − LineAmortisation
	NumLines                         // number of lines; not a line
)

var lineNames = [NumLines]string{
	"gmv", "refunds", "net_sales", "cogs", "cm1", "commission", "commission_refund",
	"commission_true_up", "payment_fees", "fulfilment", "storage", "shipping",
	"return_handling", "cm2", "marketing", "marketing_fixed", "cm3", "data_transfer",
	"api_calls", "support", "support_staff", "maintenance", "contribution", "setup",
	"net_cash_flow", "amortisation", "accounting_profit",
}

var lineLabels = [NumLines]string{
	"GMV", "Refunds", "Net sales", "COGS", "CM1", "Commission", "Commission refunded",
	"Commission true-up", "Payment fees", "Fulfilment", "Storage", "Shipping",
	"Return handling", "CM2", "Marketing", "Marketing (fixed)", "CM3", "Data transfer",
	"API calls", "Support", "Support staff", "Maintenance", "Partnership contribution",
	"Set-up", "Net cash flow", "Amortisation", "Accounting profit",
}

// String is the line's snake_case key ("net_sales"), used in CSV and JSON.
func (l Line) String() string {
	if l < 0 || l >= NumLines {
		return "line?"
	}
	return lineNames[l]
}

// Label is the line's name for people ("Net sales").
func (l Line) Label() string {
	if l < 0 || l >= NumLines {
		return "line?"
	}
	return lineLabels[l]
}

// IsSubtotal reports whether the line is a sum of other lines.
func (l Line) IsSubtotal() bool {
	switch l {
	case LineNetSales, LineCM1, LineCM2, LineCM3, LineContribution, LineNetCashFlow, LineAccountingProfit:
		return true
	}
	return false
}

// Terms returns the lines a subtotal sums and the sign of each (+1 or
// −1): LineCM1 is LineNetSales (+1) and LineCOGS (−1). It returns nil for
// a base line. The report package writes these as the workbook's
// formulas. The slice is shared: do not modify it.
func (l Line) Terms() []Term {
	if l < 0 || l >= NumLines {
		return nil
	}
	return lineTerms[l]
}

var lineTerms = func() (t [NumLines][]Term) {
	for l := Line(0); l < NumLines; l++ {
		t[l] = l.terms()
	}
	return t
}()

func (l Line) terms() []Term {
	switch l {
	case LineNetSales:
		return []Term{{LineGMV, 1}, {LineRefunds, -1}}
	case LineCM1:
		return []Term{{LineNetSales, 1}, {LineCOGS, -1}}
	case LineCM2:
		return []Term{{LineCM1, 1}, {LineCommission, -1}, {LineCommissionRefund, 1}, {LineCommissionTrueUp, -1},
			{LinePaymentFees, -1}, {LineFulfilment, -1}, {LineStorage, -1}, {LineShipping, -1}, {LineReturnHandling, -1}}
	case LineCM3:
		return []Term{{LineCM2, 1}, {LineMarketing, -1}, {LineMarketingFixed, -1}}
	case LineContribution:
		return []Term{{LineCM3, 1}, {LineDataTransfer, -1}, {LineAPICalls, -1}, {LineSupport, -1},
			{LineSupportStaff, -1}, {LineMaintenance, -1}}
	case LineNetCashFlow:
		return []Term{{LineContribution, 1}, {LineSetup, -1}}
	case LineAccountingProfit:
		return []Term{{LineContribution, 1}, {LineAmortisation, -1}}
	}
	return nil
}

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

// TotalOrders is the expected order count over the horizon.
func (b *Block) TotalOrders() decimal.Decimal {
	s := decimal.Zero
	for _, o := range b.Orders {
		s = s.Add(o)
	}
	return s
}

// Series returns one line month by month.
func (b *Block) Series(l Line) []decimal.Decimal {
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
}

// CategoryStatement is one category's lines within a partnership.
type CategoryStatement struct {
	ID, Name string
	Block
}

// Rollup is a sum of blocks under one key (a channel or a category ID).
type Rollup struct {
	Key string
	Block
}

// Partnership returns the statement of the partnership with the given ID.
func (s *Statement) Partnership(id string) (*PartnershipStatement, bool) {
	for i := range s.Partnerships {
		if s.Partnerships[i].ID == id {
			return &s.Partnerships[i], true
		}
	}
	return nil, false
}

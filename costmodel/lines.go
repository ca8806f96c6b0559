package costmodel

// Level is the margin level a statement line belongs to (README, "Margin
// levels"): each line belongs to exactly one.
type Level int

// The margin levels, in waterfall order.
const (
	LevelNetSales     Level = iota // GMV − refunds
	LevelCM1                       // net sales − COGS
	LevelCM2                       // CM1 − variable selling costs
	LevelCM3                       // CM2 − marketing
	LevelContribution              // CM3 − the partnership's running costs
	LevelCashFlow                  // contribution − set-up spending
	LevelAccounting                // contribution − amortisation (beside the cash view)
	// LevelSides holds both sides' values for a fairness analysis (the
	// partner's contribution, service credits, customers acquired): they
	// are beside our statement, not part of its waterfall.
	LevelSides
)

// Scale says what a line scales with, which decides where the model
// computes it.
type Scale int

const (
	// PerCategory lines are computed per partnership × category × month
	// from that category's own drivers.
	PerCategory Scale = iota
	// PerPartnership lines are kept at partnership level (the *P* lines of
	// the README): they do not scale with one category's orders.
	PerPartnership
	// Derived lines are subtotals: sums of other lines (Terms).
	Derived
)

// LineInfo describes one statement line once, for every reader: the exact
// model and its graph, scenario and Monte Carlo outputs, the workbook's
// sheets and the CSV.
type LineInfo struct {
	Name  string // snake_case key, in CSV and JSON ("net_sales")
	Label string // the name a finance reader sees ("Net sales")
	Level Level  // the margin level the line belongs to
	Scale Scale  // where the line is computed
	// Fixed marks the lines that do not scale with orders (storage, fixed
	// marketing, support staff, maintenance): break-even orders divides
	// them by the contribution per order before them.
	Fixed bool
	// Metric marks the lines an output may read as the metric of the
	// same name ("cm3"), and Ratio those whose ratio over net sales is a
	// metric too ("cm3_ratio"); see Metric.
	Metric, Ratio bool
	// ByName marks a metric line left out of Metrics (the list
	// comparisons show): a reader asks for it by name.
	ByName bool
	// Hours marks a line that is a number of hours, not money (the
	// outage downtime memo): it is in no money subtotal's Terms, FX
	// conversion leaves it as given, and the workbook formats it as a
	// quantity, not in the currency. Its totals (a channel's, the
	// portfolio's) are the sum of the partnerships' hours: partnership-
	// hours of downtime, not an uptime.
	Hours bool
	// Terms are the signed lines a subtotal sums; nil for a base line.
	// A base line feeds the subtotal of its level with the sign that
	// subtotal's Terms give it (costs −1, credits +1).
	Terms []Term
}

// Info returns the line's entry in the line table; an out-of-range line
// gets a placeholder named "line?".
func (l Line) Info() *LineInfo {
	if l < 0 || l >= NumLines {
		return &unknownLine
	}
	return &lineTable[l]
}

// IsMoney reports whether the line is an amount of money (every line
// but those LineInfo.Hours marks).
func (l Line) IsMoney() bool { return !l.Info().Hours }

var unknownLine = LineInfo{Name: "line?", Label: "line?"}

// lineTable is the one list of the statement's lines. To add a line: a
// constant in statement.go, its entry here (and in its subtotal's Terms),
// and its formula in graphlines.go.
var lineTable = [NumLines]LineInfo{
	LineGMV:      {Name: "gmv", Label: "GMV", Level: LevelNetSales, Metric: true},
	LineRefunds:  {Name: "refunds", Label: "Refunds", Level: LevelNetSales},
	LineNetSales: {Name: "net_sales", Label: "Net sales", Level: LevelNetSales, Scale: Derived, Metric: true, Terms: []Term{{LineGMV, 1}, {LineRefunds, -1}}},
	LineCOGS:     {Name: "cogs", Label: "COGS", Level: LevelCM1},
	// Cross-border lines (Lane, graphlane.go): zero without a lane.
	LineImportDuty: {Name: "import_duty", Label: "Import duty", Level: LevelCM1},
	LineImportVAT:  {Name: "import_vat", Label: "Import VAT (absorbed)", Level: LevelCM1},
	LineCM1: {Name: "cm1", Label: "CM1", Level: LevelCM1, Scale: Derived, Metric: true, Ratio: true, Terms: []Term{{LineNetSales, 1}, {LineCOGS, -1},
		{LineImportDuty, -1}, {LineImportVAT, -1}}},

	LineCommission:       {Name: "commission", Label: "Commission", Level: LevelCM2},
	LineCommissionRefund: {Name: "commission_refund", Label: "Commission refunded", Level: LevelCM2},
	LineCommissionTrueUp: {Name: "commission_true_up", Label: "Commission true-up", Level: LevelCM2, Scale: PerPartnership},
	LinePaymentFees:      {Name: "payment_fees", Label: "Payment fees", Level: LevelCM2},
	LineFulfilment:       {Name: "fulfilment", Label: "Fulfilment", Level: LevelCM2},
	LineStorage:          {Name: "storage", Label: "Storage", Level: LevelCM2, Fixed: true},
	LineShipping:         {Name: "shipping", Label: "Shipping", Level: LevelCM2},
	LineReturnHandling:   {Name: "return_handling", Label: "Return handling", Level: LevelCM2},
	// Cross-border lines (Lane): zero without a lane.
	LineInternationalShipping: {Name: "international_shipping", Label: "International shipping", Level: LevelCM2},
	LineReturnShipping:        {Name: "return_shipping", Label: "Return shipping", Level: LevelCM2},
	LineFXFee:                 {Name: "fx_fee", Label: "FX conversion fee", Level: LevelCM2},
	// Capacity lines (capacity.go): zero without a Capacity.
	LineFulfilmentOverflow: {Name: "fulfilment_overflow", Label: "Fulfilment overflow", Level: LevelCM2, Scale: PerPartnership},
	LineCM2: {Name: "cm2", Label: "CM2", Level: LevelCM2, Scale: Derived, Metric: true, Ratio: true, Terms: []Term{{LineCM1, 1}, {LineCommission, -1},
		{LineCommissionRefund, 1}, {LineCommissionTrueUp, -1}, {LinePaymentFees, -1}, {LineFulfilment, -1},
		{LineStorage, -1}, {LineShipping, -1}, {LineReturnHandling, -1}, {LineFulfilmentOverflow, -1},
		{LineInternationalShipping, -1}, {LineReturnShipping, -1}, {LineFXFee, -1}}},

	LineMarketing:      {Name: "marketing", Label: "Marketing", Level: LevelCM3},
	LineMarketingFixed: {Name: "marketing_fixed", Label: "Marketing (fixed)", Level: LevelCM3, Scale: PerPartnership, Fixed: true},
	LineCM3:            {Name: "cm3", Label: "CM3", Level: LevelCM3, Scale: Derived, Metric: true, Ratio: true, Terms: []Term{{LineCM2, 1}, {LineMarketing, -1}, {LineMarketingFixed, -1}}},

	LineDataTransfer:        {Name: "data_transfer", Label: "Data transfer", Level: LevelContribution, Scale: PerPartnership},
	LineDataTransferOverage: {Name: "data_transfer_overage", Label: "Data transfer overage", Level: LevelContribution, Scale: PerPartnership},
	LineAPICalls:            {Name: "api_calls", Label: "API calls", Level: LevelContribution, Scale: PerPartnership},
	LineAPIPremium:          {Name: "api_premium", Label: "API premium tier", Level: LevelContribution, Scale: PerPartnership},
	LineSupport:             {Name: "support", Label: "Support", Level: LevelContribution, Scale: PerPartnership},
	LineSupportStaff:        {Name: "support_staff", Label: "Support staff", Level: LevelContribution, Scale: PerPartnership, Fixed: true},
	LineSupportOverflow:     {Name: "support_overflow", Label: "Support over capacity", Level: LevelContribution, Scale: PerPartnership},
	LineMaintenance:         {Name: "maintenance", Label: "Maintenance", Level: LevelContribution, Scale: PerPartnership, Fixed: true},
	// Outage lines (outage.go, graphoutage.go): zero without an Outage.
	LineOutageLostContribution: {Name: "outage_lost_contribution", Label: "Contribution lost in outages", Level: LevelContribution, Scale: PerPartnership},
	LineOutageFallback:         {Name: "outage_fallback", Label: "Outage fallback cost", Level: LevelContribution, Scale: PerPartnership},
	LineOutageCredit:           {Name: "outage_credit", Label: "Service credits and penalties (outages)", Level: LevelContribution, Scale: PerPartnership, Metric: true, ByName: true},
	LineContribution: {Name: "contribution", Label: "Partnership contribution", Level: LevelContribution, Scale: Derived, Metric: true, Ratio: true, Terms: []Term{
		{LineCM3, 1}, {LineDataTransfer, -1}, {LineDataTransferOverage, -1}, {LineAPICalls, -1}, {LineAPIPremium, -1},
		{LineSupport, -1}, {LineSupportStaff, -1}, {LineSupportOverflow, -1}, {LineMaintenance, -1},
		{LineOutageLostContribution, -1}, {LineOutageFallback, -1}, {LineOutageCredit, 1}}},

	LineSetup:       {Name: "setup", Label: "Set-up", Level: LevelCashFlow, Scale: PerPartnership},
	LineNetCashFlow: {Name: "net_cash_flow", Label: "Net cash flow", Level: LevelCashFlow, Scale: Derived, Metric: true, Terms: []Term{{LineContribution, 1}, {LineSetup, -1}}},

	LineAmortisation:     {Name: "amortisation", Label: "Amortisation", Level: LevelAccounting, Scale: PerPartnership},
	LineAccountingProfit: {Name: "accounting_profit", Label: "Accounting profit", Level: LevelAccounting, Scale: Derived, Terms: []Term{{LineContribution, 1}, {LineAmortisation, -1}}},

	LinePartnerServeCost:     {Name: "partner_serve_cost", Label: "Partner's cost to serve", Level: LevelSides},
	LinePartnerFixedCost:     {Name: "partner_fixed_cost", Label: "Partner's fixed cost", Level: LevelSides, Scale: PerPartnership},
	LineServiceCredit:        {Name: "service_credit", Label: "Service credit (uptime)", Level: LevelSides, Scale: PerPartnership},
	LineCustomerValue:        {Name: "customer_value", Label: "Value of customers acquired (ours)", Level: LevelSides, Scale: PerPartnership},
	LinePartnerCustomerValue: {Name: "partner_customer_value", Label: "Value of customers acquired (partner's)", Level: LevelSides, Scale: PerPartnership},
	LinePartnerContribution: {Name: "partner_contribution", Label: "Partner's contribution", Level: LevelSides, Scale: Derived, Metric: true, Terms: []Term{
		{LineCommission, 1}, {LineCommissionRefund, -1}, {LineCommissionTrueUp, 1}, {LineServiceCredit, -1}, {LinePartnerServeCost, -1}, {LinePartnerFixedCost, -1}}},
	LineOurValue:     {Name: "our_value", Label: "Our value (contribution + credits + customers)", Level: LevelSides, Scale: Derived, Metric: true, Terms: []Term{{LineContribution, 1}, {LineServiceCredit, 1}, {LineCustomerValue, 1}}},
	LinePartnerValue: {Name: "partner_value", Label: "Partner's value (contribution + customers)", Level: LevelSides, Scale: Derived, Metric: true, Terms: []Term{{LinePartnerContribution, 1}, {LinePartnerCustomerValue, 1}}},
	// Beside the waterfall: the GMV outages lose (a memo; what it costs is
	// LineOutageLostContribution) and the outages' net effect on the
	// contribution.
	LineOutageLostGMV:  {Name: "outage_lost_gmv", Label: "GMV lost in outages", Level: LevelSides, Scale: PerPartnership, Metric: true, ByName: true},
	LineOutageDowntime: {Name: "outage_downtime_hours", Label: "Downtime hours (memo, not money)", Level: LevelSides, Scale: PerPartnership, Metric: true, ByName: true, Hours: true},
	// What the contingency plan is worth in the month, on the month's own
	// downtime: the contribution lost without it less the contribution
	// lost with it, less the fallback path's cost (0 without a
	// contingency). The outage impact without the contingency is
	// LineOutageImpact − LineOutageContingencyGain.
	LineOutageContingencyGain: {Name: "outage_contingency_gain", Label: "Contingency gain in outages (memo)", Level: LevelSides, Scale: PerPartnership, Metric: true, ByName: true},
	LineOutageImpact: {Name: "outage_impact", Label: "Outage impact on contribution", Level: LevelSides, Scale: Derived, Metric: true, ByName: true, Terms: []Term{
		{LineOutageLostContribution, -1}, {LineOutageFallback, -1}, {LineOutageCredit, 1}}},
}

// LinesScaled lists, in waterfall order, the lines computed at a scale:
// LinesScaled(PerCategory) are a category row's base lines,
// LinesScaled(PerPartnership) a partnership's own.
func LinesScaled(s Scale) []Line {
	var ls []Line
	for l := Line(0); l < NumLines; l++ {
		if lineTable[l].Scale == s {
			ls = append(ls, l)
		}
	}
	return ls
}

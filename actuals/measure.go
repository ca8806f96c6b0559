package actuals

// Measure is what one actuals record counts or costs.
type Measure string

// The measures an actuals file may carry. Category measures are reported
// per partnership × category × month; partnership measures per
// partnership × month, with the category column left empty. Money is in
// the portfolio's currency; every value is ≥ 0.
const (
	// Category measures.
	Orders        Measure = "orders"         // orders placed (a count; may be fractional only as the plan's are)
	GMV           Measure = "gmv"            // items + shipping charged, before returns (money)
	ReturnedItems Measure = "returned_items" // items returned and refunded (a count)
	COGS          Measure = "cogs"           // cost of the items kept (money)
	Fulfilment    Measure = "fulfilment"     // pick, pack, packaging (money)
	Shipping      Measure = "shipping"       // outbound carrier cost (money)
	Storage       Measure = "storage"        // storage fees of the month (money)

	// Partnership measures.
	DataTransferGB  Measure = "data_transfer_gb" // GB moved in the month
	APICalls        Measure = "api_calls"        // API requests in the month
	SupportTickets  Measure = "support_tickets"  // tickets opened in the month
	Marketing       Measure = "marketing"        // marketing spend (money)
	Maintenance     Measure = "maintenance"      // engineering and licences (money)
	CommissionRate  Measure = "commission_rate"  // a flat commission rate charged in the month, when the terms changed (a fraction)
	Incidents       Measure = "incidents"        // incidents the partner reported (a count)
	DowntimeMinutes Measure = "downtime_minutes" // minutes of outage
	ResponseHours   Measure = "response_hours"   // average hours to first response on a ticket

	// CommissionBilled is the commission and fees the partner invoiced
	// (money), net of refunded commission and with any true-up: the
	// billing check compares it with what the terms imply. It may be
	// reported per category or per partnership.
	CommissionBilled Measure = "commission_billed"
)

// level says where a measure is reported.
type level int

const (
	perCategory level = iota
	perPartnership
	either
)

type measureInfo struct {
	level level
	count bool // a count of things (orders, items, calls); otherwise an amount or a rate
	rate  bool // a fraction from 0 to 1
	what  string
}

var measures = map[Measure]measureInfo{
	Orders:           {level: perCategory, count: true, what: "orders"},
	GMV:              {level: perCategory, what: "money"},
	ReturnedItems:    {level: perCategory, count: true, what: "items"},
	COGS:             {level: perCategory, what: "money"},
	Fulfilment:       {level: perCategory, what: "money"},
	Shipping:         {level: perCategory, what: "money"},
	Storage:          {level: perCategory, what: "money"},
	DataTransferGB:   {level: perPartnership, what: "GB"},
	APICalls:         {level: perPartnership, count: true, what: "calls"},
	SupportTickets:   {level: perPartnership, count: true, what: "tickets"},
	Marketing:        {level: perPartnership, what: "money"},
	Maintenance:      {level: perPartnership, what: "money"},
	CommissionRate:   {level: perPartnership, rate: true, what: "a fraction"},
	Incidents:        {level: perPartnership, count: true, what: "incidents"},
	DowntimeMinutes:  {level: perPartnership, what: "minutes"},
	ResponseHours:    {level: perPartnership, what: "hours"},
	CommissionBilled: {level: either, what: "money"},
}

// measureOrder is the order measures are listed in messages.
var measureOrder = []Measure{Orders, GMV, ReturnedItems, COGS, Fulfilment, Shipping, Storage,
	DataTransferGB, APICalls, SupportTickets, Marketing, Maintenance, CommissionRate,
	Incidents, DowntimeMinutes, ResponseHours, CommissionBilled}

// Measures lists every measure an actuals file may carry, category
// measures first.
func Measures() []Measure { return append([]Measure(nil), measureOrder...) }

// PerCategory reports whether the measure is reported per category
// (false: per partnership, or, for CommissionBilled, either).
func (m Measure) PerCategory() bool { i, ok := measures[m]; return ok && i.level == perCategory }

// Valid reports whether m is one of Measures.
func (m Measure) Valid() bool { _, ok := measures[m]; return ok }

func measureNames() string {
	s := ""
	for i, m := range measureOrder {
		if i > 0 {
			s += ", "
		}
		s += string(m)
	}
	return s
}

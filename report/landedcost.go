package report

import "github.com/marginalhq/marginal/internal/graph"

// landedCostRows adds to the Unit economics sheet the landed cost per
// unit of each category of a partnership with a cross-border lane
// (costmodel.Lane, CategoryStatement.LandedCost): unit cost + (import
// duty + absorbed import VAT + international shipping) ÷ units per order,
// in the partnership's currency. Each is the model graph's node, one row
// per group of months that shares it, printed by the graph's Excel
// printer like every other figure of the sheet, so it follows the
// Assumptions (the lane's duty rate, thresholds and shipping, the unit
// cost). No Statement line reads it: it is a figure per unit, not a
// line. Months before the category's launch have no row.
func (b *book) landedCostRows() {
	m := b.model
	g := m.Graph()
	at := map[graph.ID]int{} // node → its row in b.ueRows
	for i := range b.p.Partnerships {
		if b.p.Partnerships[i].Lane == nil {
			continue
		}
		for j := range b.p.Partnerships[i].Categories {
			row := m.Row(i, j)
			for t := range b.p.Months {
				id := m.LandedCost(row, t)
				if id < 0 || g.Nodes[id].Kind == graph.Const {
					continue // not launched yet: the model's zero
				}
				if k, ok := at[id]; ok {
					b.ueRows[k].last = t
					continue
				}
				if b.home[id].Col != 0 {
					continue // a cell of its own already (a shared figure)
				}
				at[id] = len(b.ueRows)
				b.ueRows = append(b.ueRows, ueRow{id: id, partnership: i, category: j, first: t, last: t})
			}
		}
	}
}

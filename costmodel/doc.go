// Package costmodel is the exact model of a portfolio of marketplace
// partnerships: what each one costs, what it earns, and the contribution
// margin it leaves, month by month, in decimal money.
//
// The statement's arithmetic is written once, as an expression graph
// (Model, built by graph.go from the formulas in graphlines.go): Evaluate
// evaluates it exactly, and the simulation and the workbook walk the same
// graph. A new cost line is a Line in statement.go and one builder
// method in graphlines.go.
package costmodel

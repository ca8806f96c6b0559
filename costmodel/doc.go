// Package costmodel is the exact model of a portfolio of marketplace
// partnerships: what each one costs, what it earns, and the contribution
// margin it leaves, month by month, in decimal money.
package costmodel

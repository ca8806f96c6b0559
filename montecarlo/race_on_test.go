//go:build race

package montecarlo

// raceEnabled is true under the race detector, whose instrumentation
// makes allocations of its own.
const raceEnabled = true

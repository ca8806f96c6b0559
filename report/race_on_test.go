//go:build race

package report

// raceEnabled is true under the race detector.
const raceEnabled = true

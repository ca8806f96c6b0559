package costmodel

// CheckFooting exposes the footing check to the external test package,
// which can import internal/sample (the package itself cannot: sample
// imports costmodel).
var CheckFooting = checkFooting

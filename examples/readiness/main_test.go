package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

func TestReadiness(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"amazon-us fulfilment over capacity", "own-shop support over capacity", "feedlink api rate limit",
		"fully loaded", "match part (0.5)", "P(better than hold)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// The fully loaded categories add up, with what stays at partnership
// level, to the portfolio's contribution: the allocation moves costs, it
// neither adds nor drops any.
func TestFullyLoadedFoots(t *testing.T) {
	p, err := withCapacity()
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := st.Allocated.PartnershipLevel.Total[costmodel.LineContribution]
	for _, c := range st.Allocated.ByCategory {
		sum = sum.Add(c.Total[costmodel.LineContribution])
	}
	if !sum.Equal(st.Portfolio.Total[costmodel.LineContribution]) {
		t.Errorf("fully loaded categories + partnership level %s, portfolio %s", sum, st.Portfolio.Total[costmodel.LineContribution])
	}
}

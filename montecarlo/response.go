package montecarlo

import (
	"context"
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// ResponseResult is one response to a competitor's cut: its scenario,
// the compared output and the guardrails' breaches on its exact
// statement, and its comparison with the first response on the same
// simulated futures.
type ResponseResult struct {
	Response scenario.Response
	Scenario scenario.Scenario
	// Exact is the compared output of the exact statement (every driver
	// at its value).
	Exact scenario.Value
	// Breaches are the guardrails' breaches of the exact statement,
	// labelled with the response's name.
	Breaches []scenario.Breach
	// VsFirst is this response against the first (hold price by default)
	// on common random numbers: the distribution of the difference and
	// P(this response better than the first), PBetter. Nil for the first.
	VsFirst *Paired
}

// ResponseComparison compares responses to a competitor's cut under
// uncertainty.
type ResponseComparison struct {
	Output scenario.Output
	// First is the simulation of the first response's portfolio.
	First     *Result
	Responses []ResponseResult
}

// CompareResponses simulates each response to the competitor's cut c
// (scenario.CompetitiveResponses: hold price, match, match part (0.5)
// when none is given) on the same draws of spec's inputs, and compares
// each with the first on the output out (the contribution of the cut
// categories, say): P(match better than hold) is
// Responses[1].VsFirst.PBetter with the default responses. rails, which
// may be empty, are checked on each response's exact statement.
func CompareResponses(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options, c scenario.CompetitorCut, out scenario.Output, rails scenario.Guardrails, rs ...scenario.Response) (*ResponseComparison, error) {
	if ctx == nil {
		return nil, errNil("ctx", "a context (context.Background() when there is nothing to cancel)")
	}
	if p == nil {
		return nil, errNil("portfolio", "a portfolio to compare responses on")
	}
	if len(rs) == 0 {
		rs = []scenario.Response{scenario.HoldPrice(), scenario.MatchPrice(), scenario.MatchPart(decimal.New(5, -1))}
	}
	if len(rs) < 2 {
		return nil, &costmodel.FieldError{Path: "responses", Value: fmt.Sprint(len(rs)), Expected: "at least two responses to compare"}
	}
	scs, err := scenario.CompetitiveResponses(p, c, rs...)
	if err != nil {
		return nil, err
	}
	cmp := &ResponseComparison{Output: out}
	var alts []Alternative
	var first *costmodel.Portfolio
	for i, s := range scs {
		q, err := s.Apply(p)
		if err != nil {
			return nil, err
		}
		st, err := costmodel.Evaluate(q)
		if err != nil {
			return nil, err
		}
		v, err := out.Of(st)
		if err != nil {
			return nil, err
		}
		var breaches []scenario.Breach
		if len(rails) > 0 {
			if breaches, err = rails.Check(s.Name, st); err != nil {
				return nil, err
			}
		}
		cmp.Responses = append(cmp.Responses, ResponseResult{Response: rs[i], Scenario: s, Exact: v, Breaches: breaches})
		if i == 0 {
			first = q
		} else {
			alts = append(alts, Alternative{Name: s.Name, Portfolio: q})
		}
	}
	r, paired, err := RunPaired(ctx, first, spec, opt, out, alts...)
	if err != nil {
		return nil, err
	}
	cmp.First = r
	for i := range paired {
		cmp.Responses[i+1].VsFirst = &paired[i]
	}
	return cmp, nil
}

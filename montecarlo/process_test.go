package montecarlo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// processPortfolio sells 10^6 orders a month of one item at 1 with no
// costs, so a month's GMV is 10^6 × the orders multiplier, to the cent:
// log(GMV_t / 10^6) is the log of month t's draw within 10^-8.
func processPortfolio(months int) *costmodel.Portfolio {
	one := decimal.NewFromInt(1)
	return &costmodel.Portfolio{
		Currency: "USD", Start: costmodel.Month{Year: 2026, Month: 1}, Months: months, DiscountRate: decimal.NewFromFloat(0.1),
		Partnerships: []costmodel.Partnership{{ID: "p", Channel: "own-shop", Categories: []costmodel.Category{
			{ID: "c", Orders: decimal.NewFromInt(1_000_000), Price: one, UnitsPerOrder: one},
		}}},
	}
}

// logsByMonth runs spec on processPortfolio and returns, for each month
// asked, the log of each trial's draw.
func logsByMonth(t *testing.T, months int, spec *Spec, at []int, trials int) [][]float64 {
	t.Helper()
	p := processPortfolio(months)
	var outs []scenario.Output
	for _, m := range at {
		outs = append(outs, scenario.Output{Metric: scenario.GMV, Window: costmodel.Window{Kind: costmodel.WindowMonth, Month: p.Start.Add(m)}})
	}
	r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 11, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	logs := make([][]float64, len(at))
	for k, o := range outs {
		or, _ := r.Output(o)
		for _, v := range or.Samples {
			logs[k] = append(logs[k], math.Log(v/1e6))
		}
	}
	return logs
}

func meanVar(x []float64) (m, v float64) {
	for _, a := range x {
		m += a
	}
	m /= float64(len(x))
	for _, a := range x {
		v += (a - m) * (a - m)
	}
	return m, v / float64(len(x)-1)
}

// TestRandomWalkMoments checks the geometric random walk against its
// closed form: with lognormal steps (μ, σ of the log), log x_t is normal
// with mean (t + 1)μ and variance (t + 1)σ². Plain Monte Carlo, 4000
// trials: the mean within 4 standard errors √(var/N), the variance within
// 4 standard errors of a normal sample variance, var·√(2/(N − 1)) (the
// log is normal, so the sample variance's SE is that, not a guess from the
// sample's kurtosis). A walk's increments are independent, so
// Cov(log x_s, log x_t) = (min(s, t) + 1)σ² and the logs of months 5 and
// 23 correlate at √(6/24) = 0.5, checked within 4 standard errors of a
// bivariate normal sample correlation, (1 − r²)/√N: draws with the right
// variance each month but drawn afresh (correlation 0), or a walk that
// reused a month's step, would fail it. At 4 SE a correct process fails
// one check in 16,000; the seed is fixed, so the outcome is too.
func TestRandomWalkMoments(t *testing.T) {
	const n, mu, sigma = 4000, 0.01, 0.05
	spec := &Spec{Sampling: MC, Inputs: []Input{{Target: "p/c/orders", Op: costmodel.Multiply, PerMonth: true, Process: RandomWalk,
		Dist: DistSpec{Type: "lognormal", Mu: f64(mu), Sigma: f64(sigma)}}}}
	at := []int{0, 5, 23}
	logs := logsByMonth(t, 24, spec, at, n)
	for k, m := range at {
		wantM, wantV := float64(m+1)*mu, float64(m+1)*sigma*sigma
		gotM, gotV := meanVar(logs[k])
		if se := math.Sqrt(wantV / n); math.Abs(gotM-wantM) > 4*se {
			t.Errorf("month %d: mean of log %.5f, want %.5f ± %.5f", m, gotM, wantM, 4*se)
		}
		if se := wantV * math.Sqrt(2.0/(n-1)); math.Abs(gotV-wantV) > 4*se {
			t.Errorf("month %d: variance of log %.6f, want %.6f ± %.6f", m, gotV, wantV, 4*se)
		}
	}
	if r, want := corr(logs[1], logs[2]), math.Sqrt(6.0/24); math.Abs(r-want) > 4*(1-want*want)/math.Sqrt(n) {
		t.Errorf("correlation of the logs of months 5 and 23: %.4f, want √(6/24) = %.4f ± %.4f", r, want, 4*(1-want*want)/math.Sqrt(n))
	}
}

// corr is the sample (Pearson) correlation of x and y.
func corr(x, y []float64) float64 {
	mx, vx := meanVar(x)
	my, vy := meanVar(y)
	cov := 0.0
	for j := range x {
		cov += (x[j] - mx) * (y[j] - my)
	}
	return cov / float64(len(x)-1) / math.Sqrt(vx*vy)
}

// TestMeanRevertingMoments checks the per-month lognormal with
// autocorrelation ρ as an Ornstein–Uhlenbeck process on the log (see
// Process), started in its stationary law: log x_t has the long-run mean
// μ and the stationary variance σ² in every month (not a walk's growing
// one), and the correlation of the logs k months apart is ρ^k (θ = −ln ρ
// per month: e^{−θk}), at lags 1 and 5. Tolerances are 4 standard errors
// of N = 4000 independent trials: √(σ²/N) for the mean, σ²·√(2/(N − 1))
// for a normal sample variance, (1 − r²)/√N for a bivariate normal sample
// correlation. μ is not 0, so that a process which ignored it, or
// reverted to 0, fails the mean.
func TestMeanRevertingMoments(t *testing.T) {
	const n, mu, sigma, rho = 4000, 0.04, 0.1, 0.8
	spec := &Spec{Sampling: MC, Inputs: []Input{{Target: "p/c/orders", Op: costmodel.Multiply, PerMonth: true, Autocorrelation: rho,
		Dist: DistSpec{Type: "lognormal", Mu: f64(mu), Sigma: f64(sigma)}}}}
	at := []int{0, 1, 5, 23}
	logs := logsByMonth(t, 24, spec, at, n)
	for k, m := range at {
		gotM, gotV := meanVar(logs[k])
		if se := math.Sqrt(sigma * sigma / n); math.Abs(gotM-mu) > 4*se {
			t.Errorf("month %d: mean of log %.5f, want μ = %.5f ± %.5f", m, gotM, mu, 4*se)
		}
		if wantV, se := sigma*sigma, sigma*sigma*math.Sqrt(2.0/(n-1)); math.Abs(gotV-wantV) > 4*se {
			t.Errorf("month %d: variance of log %.6f, want the stationary %.6f ± %.6f", m, gotV, wantV, 4*se)
		}
	}
	for _, c := range []struct{ k, lag int }{{1, 1}, {2, 5}} {
		r, want := corr(logs[0], logs[c.k]), math.Pow(rho, float64(c.lag))
		if se := (1 - want*want) / math.Sqrt(n); math.Abs(r-want) > 4*se {
			t.Errorf("correlation of months 0 and %d: %.4f, want ρ^%d = %.4f ± %.4f", c.lag, r, c.lag, want, 4*se)
		}
	}
}

// TestProcessErrors checks that a random walk without per_month, with an
// op other than multiply or with autocorrelation, and an unknown process,
// are refused at their paths.
func TestProcessErrors(t *testing.T) {
	p := processPortfolio(3)
	ln := DistSpec{Type: "lognormal", Mu: f64(0), Sigma: f64(0.1)}
	for _, c := range []struct {
		in   Input
		path string
	}{
		{Input{Target: "p/c/orders", Op: costmodel.Multiply, Process: RandomWalk, Dist: ln}, "inputs[0].process"},
		{Input{Target: "p/c/orders", Op: costmodel.SetTo, PerMonth: true, Process: RandomWalk, Dist: ln}, "inputs[0].op"},
		{Input{Target: "p/c/orders", Op: costmodel.Multiply, PerMonth: true, Autocorrelation: 0.5, Process: RandomWalk, Dist: ln}, "inputs[0].autocorrelation"},
		{Input{Target: "p/c/orders", Op: costmodel.Multiply, PerMonth: true, Process: "brownian", Dist: ln}, "inputs[0].process"},
	} {
		_, err := Run(context.Background(), p, &Spec{Inputs: []Input{c.in}}, Options{Trials: 10, Outputs: []scenario.Output{{Metric: scenario.GMV}}})
		if err == nil || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%+v: %v, want a problem at %s", c.in, err, c.path)
		}
	}
}

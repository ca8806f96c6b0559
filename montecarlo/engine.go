package montecarlo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultBlockSize is the number of trials in a block: the unit of work,
// of random streams, of Latin Hypercube stratification and of the
// convergence check.
const DefaultBlockSize = 1000

// DefaultMaxSampleBytes bounds the memory the samples of one run may take
// (inputs and outputs, 8 bytes a value per trial): 4 GiB. A run that
// would need more is refused before it starts; record fewer outputs
// (Options.Outputs) or raise the bound.
const DefaultMaxSampleBytes = 4 << 30

// MaxTrials is the most trials a run may ask for.
const MaxTrials = 100_000_000

// ErrNoTrials is wrapped by the error of a run that has no trial count:
// neither Options.Trials nor the spec's run.trials gives one. A program
// that takes the count from its own flag can test for it with errors.Is
// and name its flag.
var ErrNoTrials = errors.New("no trial count")

// Options control a run. The zero value of each field takes the default,
// except Trials, which has none.
type Options struct {
	// Trials is the number of trials, or the most when Convergence is set
	// (2 to MaxTrials). There is no default: the count decides the
	// precision of every figure, so it is given here or in the spec's
	// run.trials. Zero means not set here, and the spec's run.trials is
	// used when the spec gives one; with neither, Run fails with an error
	// wrapping [ErrNoTrials]. A negative count is an error. When both
	// give a count, this one wins.
	Trials int
	// Seed makes the run reproducible: the same portfolio, spec, options
	// and seed give the same results whatever the number of workers.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS, more are
	// capped at it, and a negative count is an error.
	Workers int
	// BlockSize is the trials per block; 0 means DefaultBlockSize.
	BlockSize int
	// Outputs are the figures recorded each trial; nil records
	// DefaultMetrics for the portfolio and every partnership, channel and
	// category.
	Outputs []scenario.Output
	// Percentiles to report (0–1); nil means 1, 5, 10, 25, 50, 75, 90, 95, 99 %.
	Percentiles []float64
	// Levels for VaR and CVaR; nil means 0.95 and 0.99.
	Levels []float64
	// Targets adds P(output < target) for the listed outputs.
	Targets []Target
	// Bins is the histogram bin count; 0 means 30.
	Bins int
	// Convergence, when set, stops the run once a statistic is known to
	// a tolerance.
	Convergence *Convergence
	// Sensitivity lists the outputs whose rank-correlation sensitivity to
	// every input is computed; nil means the portfolio contribution when it
	// is recorded, else the first recorded output.
	Sensitivity []scenario.Output
	// TailShare is the share of worst trials of the tail view; 0 means 0.05.
	TailShare float64
	// Progress, when set, is called with the trials done so far and the
	// total, from one goroutine, after each block in order.
	Progress func(done, total int)
	// MaxSampleBytes bounds the memory of the samples; 0 means
	// DefaultMaxSampleBytes.
	MaxSampleBytes int64
	// Guardrails are checked in every trial, in every window and cell of
	// each rule, for Result.Guardrails: P(breach) over the horizon and per
	// window, the expected shortfall given a breach, the window most
	// often breached (guardrails.go). Only counts are kept, not the
	// trials' values. With Guardrails, Outputs may be an empty, non-nil
	// list: the rules alone are simulated.
	Guardrails scenario.Guardrails
	// Fans lists amounts (over the whole horizon) whose cumulative path
	// month by month is kept, for Result.Fans: per-month mean and 5th,
	// 25th, 50th, 75th and 95th percentiles (fan.go). Each costs one
	// value a month a trial of memory.
	Fans []scenario.Output
}

// noTrialsError is a run's validation error when no trial count was
// given: errors.Is finds both ErrNoTrials and costmodel.ErrInvalid, and
// errors.As the *costmodel.ValidationError.
type noTrialsError struct{ err error }

func (e *noTrialsError) Error() string   { return e.err.Error() }
func (e *noTrialsError) Unwrap() []error { return []error{e.err, ErrNoTrials} }

// corrMinTrials is the fewest trials a block needs to correlate a group
// of k inputs with Iman–Conover.
//
// The mathematical floor is k + 1: each column of scores is a
// permutation of van der Waerden scores that sum to 0, so the k columns
// lie in the (n − 1)-dimensional space orthogonal to (1, …, 1), and their
// correlation matrix, which the method inverts, is singular unless
// k ≤ n − 1 ([ImanConover] refuses fewer). The floor is not a useful
// minimum. Measured over 300 seeds for k = 2, 3 and 5 at a target of
// 0.5, the achieved rank correlations scatter around the target with an
// RMS error of about 0.25/√n (0.10 at n = 10, 0.035 at 50, 0.025 at 100,
// 0.016 at 250), so a correlation the user wrote to one decimal needs
// n ≈ 100 to come within 0.03 of it; and at n = k + 1 up to 28 % of score
// draws are singular (none in 300 at n ≥ 10). Larger groups have more
// pairs to get right, so the minimum grows by 50 trials per input beyond
// two: 100 for 2 inputs, 150 for 3, 250 for 5.
func corrMinTrials(k int) int { return max(100, 50*k) }

// corrMinWhy says why, for messages.
const corrMinWhy = "Iman–Conover's rank correlations come within about 0.03 of the target with 100 trials and 50 per input (with fewer they fall visibly short)"

// Target asks for P(output < Value).
type Target struct {
	Output scenario.Output
	Value  float64
}

// Statistic names what a convergence rule watches.
type Statistic string

// The statistics a run can converge on.
const (
	StatMean       Statistic = "mean"
	StatPercentile Statistic = "percentile" // P is the percentile (0.05)
	StatCVaR       Statistic = "cvar"       // P is the level (0.95)
)

// Convergence stops a run when the standard error of Statistic of Output
// falls below Tolerance (in the output's units), checked after each block
// in block order once MinTrials trials are done. For the mean the
// standard error is s/√n over every trial so far. For a percentile or CVaR
// it is estimated by batch means over blocks — the statistic of each
// block, whose spread over k blocks gives SE ≈ sd(block statistics)/√k —
// once there are at least 10 blocks; batch means need no formula per
// statistic. The estimate in the trace is then the mean of the block
// statistics; the result's own statistics use every trial.
type Convergence struct {
	Output    scenario.Output
	Statistic Statistic
	P         float64
	Tolerance float64
	MinTrials int
}

// Alternative is another version of the portfolio evaluated on the same
// draws as the base (common random numbers): proposed terms, a scenario.
// Its drivers must be those of the base (scenario.Apply keeps them).
type Alternative struct {
	Name      string
	Portfolio *costmodel.Portfolio
}

// model is one portfolio of a run: its drivers and, built when a worker
// first needs it, its statement graph compiled to a float tape for the
// run's outputs (tape.go). Month-limited adjustments are part of the
// graph (per-month values of their drivers), so the run applies none.
type model struct {
	drivers []string  // addresses, in Portfolio.Drivers order (read-only)
	base    []float64 // the drivers' values in the portfolio (read-only)
	tape    *tapeModel
	// cache is the portfolio's entry in the compiled-model cache
	// (modelcache.go), nil when it has none.
	cache *cachedPortfolio
}

// newModel validates p and lists its drivers, or takes them from cached,
// its entry in the compiled-model cache (nil when a portfolio of its
// content, key, was not validated before; cacheable false when p has no
// key). ds are p.Drivers() when the caller has them (nil otherwise).
func newModel(p *costmodel.Portfolio, key cacheKey, cacheable bool, cached *cachedPortfolio, ds []costmodel.Driver) (*model, error) {
	if cached != nil {
		return &model{drivers: cached.addrs, base: cached.base, cache: cached}, nil
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if ds == nil {
		ds = p.Drivers()
	}
	m := &model{drivers: make([]string, len(ds)), base: make([]float64, len(ds))}
	for i, d := range ds {
		m.drivers[i], m.base[i] = d.Address, d.Value.InexactFloat64()
	}
	if cacheable {
		m.cache = cacheModel(&cachedPortfolio{key: key, drivers: ds, addrs: m.drivers, base: m.base})
		m.drivers, m.base = m.cache.addrs, m.cache.base
	}
	return m, nil
}

// Run simulates the portfolio under the uncertainty spec. It checks
// everything before any work starts and reports every problem at once.
func Run(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options) (*Result, error) {
	r, _, err := run(ctx, p, spec, opt, scenario.Output{}, nil)
	return r, err
}

// RunPaired simulates the base portfolio and each alternative on the same
// draws (common random numbers) and reports, for each alternative, the
// distribution of compare(alternative) − compare(base) and the share of
// trials in which the alternative is better (strictly greater). The base
// result is that of Run.
func RunPaired(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options, compare scenario.Output, alts ...Alternative) (*Result, []Paired, error) {
	return run(ctx, p, spec, opt, compare, alts)
}

func run(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options, compare scenario.Output, alts []Alternative) (*Result, []Paired, error) {
	switch {
	case ctx == nil:
		return nil, nil, errNil("ctx", "a context (context.Background() when there is nothing to cancel)")
	case p == nil && spec == nil:
		return nil, nil, errors.Join(errNil("portfolio", "a portfolio to simulate"), errNil("spec", "an uncertainty spec"))
	case p == nil:
		return nil, nil, errNil("portfolio", "a portfolio to simulate")
	case spec == nil:
		return nil, nil, errNil("spec", "an uncertainty spec")
	}
	var pr costmodel.Problems
	// Every problem is reported at once: the spec's, the options' and the
	// outputs'. A spec that does not plan still lets the options and
	// outputs be checked, against a model without inputs.
	// A portfolio of the content of one a run validated before has its
	// drivers in the compiled-model cache (modelcache.go).
	key, cacheable := portfolioKey(p)
	var cached *cachedPortfolio
	if cacheable {
		cached = cachedModel(key)
	}
	var drivers []costmodel.Driver
	if cached != nil {
		drivers = cached.drivers
	} else {
		drivers = p.Drivers()
	}
	sp, err := spec.planOn(drivers)
	pr.Merge("", err)
	checkSP := sp
	if sp == nil {
		checkSP = &specPlan{}
	}
	noTrials, fromSpec := false, false
	switch {
	case opt.Trials < 0:
		pr.Add("trials", fmt.Sprint(opt.Trials), fmt.Sprintf("a number of trials from 2 to %d", MaxTrials))
	case opt.Trials == 0 && (spec.Run == nil || spec.Run.Trials == 0):
		noTrials = true
		pr.Add("trials", "", fmt.Sprintf(`a number of trials (2 to %d): set Options.Trials, or "run": {"trials": N} (run.trials) in the uncertainty spec; there is no default`, MaxTrials))
	case opt.Trials == 0:
		opt.Trials = spec.Run.Trials // a bad one is reported at run.trials
		fromSpec = true
	}
	if spec.Run != nil && opt.Seed == 0 {
		opt.Seed = spec.Run.Seed
	}
	if !fromSpec && (opt.Trials == 1 || opt.Trials > MaxTrials) {
		pr.Add("trials", fmt.Sprint(opt.Trials), fmt.Sprintf("2 to %d trials", MaxTrials))
	}
	// The checks that depend on the count run only when it is one.
	trialsKnown := opt.Trials >= 2 && opt.Trials <= MaxTrials
	if opt.BlockSize == 0 {
		opt.BlockSize = DefaultBlockSize
	}
	if opt.BlockSize < 2 || opt.BlockSize > 1_000_000 {
		pr.Add("block_size", fmt.Sprint(opt.BlockSize), "2 to 1,000,000 trials per block")
	}
	minBlock := 0 // the fewest trials a block may have: the largest group's minimum
	for g, c := range checkSP.corrs {
		need := corrMinTrials(len(c.inputs))
		minBlock = max(minBlock, need)
		group := fmt.Sprintf("correlations[%d] (%s)", c.index, checkSP.groupLabels(g))
		if opt.BlockSize < need {
			pr.Add("block_size", fmt.Sprint(opt.BlockSize), fmt.Sprintf("at least %d trials per block for %s: %s", need, group, corrMinWhy))
		}
		if trialsKnown && opt.Trials < need {
			pr.Add("trials", fmt.Sprint(opt.Trials), fmt.Sprintf("at least %d trials for %s: %s", need, group, corrMinWhy))
		}
	}
	if opt.Workers < 0 {
		pr.Add("workers", fmt.Sprint(opt.Workers), "a number of goroutines ≥ 0 (0 for one per core)")
	}
	// More workers than cores only adds scratch memory.
	if opt.Workers <= 0 || opt.Workers > runtime.GOMAXPROCS(0) {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Bins == 0 {
		opt.Bins = 30
	}
	if opt.Percentiles == nil {
		opt.Percentiles = []float64{0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99}
	}
	if opt.Levels == nil {
		opt.Levels = []float64{0.95, 0.99}
	}
	if opt.TailShare == 0 {
		opt.TailShare = 0.05
	}
	if opt.MaxSampleBytes == 0 {
		opt.MaxSampleBytes = DefaultMaxSampleBytes
	}
	for i, q := range opt.Percentiles {
		if !(q >= 0 && q <= 1) {
			pr.Add(fmt.Sprintf("percentiles[%d]", i), formatG(q), "a probability from 0 to 1")
		}
	}
	for i, q := range opt.Levels {
		if !(q > 0 && q < 1) {
			pr.Add(fmt.Sprintf("levels[%d]", i), formatG(q), "a level strictly between 0 and 1 (0.95)")
		}
	}
	if !(opt.TailShare > 0 && opt.TailShare < 1) {
		pr.Add("tail_share", formatG(opt.TailShare), "a share strictly between 0 and 1")
	}
	if opt.Bins < 1 || opt.Bins > 10000 {
		pr.Add("bins", fmt.Sprint(opt.Bins), "1 to 10,000 bins")
	}
	fail := func() error {
		if noTrials {
			return &noTrialsError{pr.Err()}
		}
		return pr.Err()
	}

	models := make([]*model, 0, 1+len(alts))
	m0, err := newModel(p, key, cacheable, cached, drivers)
	if err != nil {
		pr.Merge("", err)
		return nil, nil, fail()
	}
	models = append(models, m0)
	for i, a := range alts {
		if a.Portfolio == nil {
			pr.Add(fmt.Sprintf("alternatives[%d]", i), "", "a portfolio")
			continue
		}
		ak, ok := portfolioKey(a.Portfolio)
		var ac *cachedPortfolio
		if ok {
			ac = cachedModel(ak)
		}
		m, err := newModel(a.Portfolio, ak, ok, ac, nil)
		if err != nil {
			pr.Merge(fmt.Sprintf("alternatives[%d]", i), err)
			continue
		}
		if !slices.Equal(m0.drivers, m.drivers) {
			pr.Add(fmt.Sprintf("alternatives[%d]", i), a.Name, "a portfolio with the base's drivers (a scenario applied to it)")
			continue
		}
		models = append(models, m)
	}
	lay := newLayout(p)
	outs := opt.Outputs
	if outs == nil {
		for _, pl := range lay.places() {
			for _, mt := range DefaultMetrics {
				outs = append(outs, scenario.Output{Scope: pl.Scope, Key: pl.Key, Metric: mt})
			}
		}
	}
	plans := lay.resolve(outs, "outputs", &pr)
	guards, guardOuts := planGuardrailsCached(m0.cache, p, lay, opt.Guardrails, &pr)
	fans, fanOuts := planFans(lay, opt.Fans, &pr)
	if len(plans) == 0 && pr.Len() == 0 && len(guards) == 0 {
		pr.Add("outputs", "", "at least one output")
	}
	var cmpPlan []outPlan
	if len(alts) > 0 && !(compare == scenario.Output{} && len(opt.Guardrails) > 0) {
		if compare.Metric == "" {
			pr.Add("compare", "", "the output to compare alternatives on")
		} else {
			cmpPlan = lay.resolve([]scenario.Output{compare}, "compare", &pr)
		}
	}
	var convPlan []outPlan
	if cv := opt.Convergence; cv != nil {
		convPlan = lay.resolve([]scenario.Output{cv.Output}, "convergence.output", &pr)
		recorded := false
		for _, pl := range plans {
			recorded = recorded || (len(convPlan) == 1 && pl.out == convPlan[0].out)
		}
		if len(convPlan) == 1 && !recorded {
			pr.Add("convergence.output", cv.Output.String(), "an output that is recorded (in Options.Outputs)")
		}
		switch cv.Statistic {
		case StatMean:
		case StatPercentile, StatCVaR:
			if !(cv.P > 0 && cv.P < 1) {
				pr.Add("convergence.p", formatG(cv.P), "a probability strictly between 0 and 1")
			}
		default:
			pr.Add("convergence.statistic", quote(cv.Statistic), "mean, percentile or cvar")
		}
		if !(cv.Tolerance > 0) || math.IsInf(cv.Tolerance, 0) {
			pr.Add("convergence.tolerance", formatG(cv.Tolerance), "a standard error > 0 in the output's units")
		}
		if cv.MinTrials < 0 || (trialsKnown && cv.MinTrials > opt.Trials) {
			pr.Add("convergence.min_trials", fmt.Sprint(cv.MinTrials), fmt.Sprintf("0 to the %d trials of the run", opt.Trials))
		}
	}
	sensOuts := opt.Sensitivity
	if sensOuts == nil && len(plans) > 0 {
		sensOuts = []scenario.Output{plans[0].out}
		for _, pl := range plans {
			if pl.out == (scenario.Output{Scope: scenario.Portfolio, Metric: scenario.Contribution}) {
				sensOuts[0] = pl.out
			}
		}
	}
	sensIdx := make([]int, 0, len(sensOuts))
	for i, so := range sensOuts {
		found := -1
		for j := range plans {
			if plans[j].out == so || (so.Scope == "" && plans[j].out.Scope == scenario.Portfolio && plans[j].out.Metric == so.Metric) {
				found = j
				break
			}
		}
		if found < 0 {
			pr.Add(fmt.Sprintf("sensitivity[%d]", i), so.String(), "an output that is recorded (in Options.Outputs)")
			continue
		}
		sensIdx = append(sensIdx, found)
	}
	targets := make([]int, len(opt.Targets))
	for i, tg := range opt.Targets {
		targets[i] = -1
		for j := range plans {
			if plans[j].out == tg.Output {
				targets[i] = j
			}
		}
		if targets[i] < 0 {
			pr.Add(fmt.Sprintf("targets[%d]", i), tg.Output.String(), "an output that is recorded")
		}
		if math.IsNaN(tg.Value) || math.IsInf(tg.Value, 0) {
			pr.Add(fmt.Sprintf("targets[%d].value", i), formatG(tg.Value), "a finite target")
		}
	}
	// 8 bytes a value, and 1 more a trial for the defined mask of each
	// output that can be undefined.
	nDiffs := len(alts)
	if len(cmpPlan) == 0 {
		nDiffs = 0 // alternatives for their guardrails only (RunScenarios)
	}
	perTrial := int64(8 * (len(checkSP.inputs) + len(plans) + nDiffs + len(fanOuts)))
	for _, pl := range plans {
		if pl.canBeUndefined() {
			perTrial++
		}
	}
	if len(cmpPlan) == 1 && cmpPlan[0].canBeUndefined() {
		perTrial += int64(len(alts))
	}
	if need := perTrial * int64(opt.Trials); trialsKnown && need > opt.MaxSampleBytes {
		pr.Add("trials", fmt.Sprint(opt.Trials), fmt.Sprintf("at most %d trials for %d inputs and %d outputs within %d MiB of samples (8 bytes each); record fewer outputs or raise MaxSampleBytes",
			opt.MaxSampleBytes/perTrial, len(checkSP.inputs), len(plans)+len(alts), opt.MaxSampleBytes>>20))
	}
	if pr.Len() > 0 {
		return nil, nil, fail()
	}
	compileTapes(models, append([]*costmodel.Portfolio{p}, altPortfolios(alts)...), sp, lay, plans, cmpPlan, guardOuts, fanOuts)
	e := &engine{
		opt: opt, sp: sp, minBlock: minBlock, models: models, lay: lay, plans: plans, cmp: cmpPlan, conv: convPlan,
		guards:  guards,
		fans:    fans,
		inputs:  make([][]float64, len(sp.inputs)),
		outputs: make([][]float64, len(plans)),
		diffs:   make([][]float64, nDiffs),
		clamped: make([][]int, 0),
	}
	for g := range sp.corrs {
		pc, ok := choleskyTarget(sp.corrs[g].matrix)
		if !ok { // unreachable: Spec.plan repairs every matrix to a positive definite one
			return nil, nil, fmt.Errorf("montecarlo: correlations[%d] (%s) is not positive definite", sp.corrs[g].index, sp.groupLabels(g))
		}
		e.corrLabels = append(e.corrLabels, fmt.Sprintf("correlation/%d", g))
		e.icTargets = append(e.icTargets, pc)
	}
	trials, conv, err := e.execute(ctx)
	if err != nil {
		return nil, nil, err
	}
	return e.result(trials, conv, sensIdx, targets, alts)
}

type engine struct {
	opt      Options
	minBlock int // the fewest trials a correlation group needs in a block
	sp       *specPlan
	models   []*model
	lay      *layout
	plans    []outPlan
	cmp      []outPlan
	conv     []outPlan
	inputs   [][]float64 // [input][trial], per-month inputs: mean over months
	outputs  [][]float64 // [output][trial]; 0 where undefined
	diffs    [][]float64 // [alternative][trial]; 0 where undefined
	clamped  [][]int     // [block][input]
	// prepared is closed once prepare has built the tapes (prepErr its
	// failure) and allocated the samples.
	prepared chan struct{}
	prepErr  error
	// corrLabels[g] is correlation group g's stream address, and
	// icTargets[g] the lower Cholesky factor of its target (see icWork).
	corrLabels []string
	icTargets  [][]float64
	// guards are the rules of Options.Guardrails, and guardAcc[block] the
	// block's counts: every model's, guardCounts() each (guardrails.go).
	guards   []guardPlan
	guardAcc [][]guardCount
	// fans are the outputs of Options.Fans, and fanVals[f][t*Trials +
	// trial] fan f's cumulative total to month t (fan.go).
	fans    []scenario.Output
	fanVals [][]float64
	// defined[k][trial] says whether output k is defined in a trial, for
	// the outputs that can be undefined (nil for the others), and
	// diffDefined the same for the alternatives' differences.
	defined     [][]bool
	diffDefined [][]bool
}

// worker holds one goroutine's scratch space.
type worker struct {
	draws     [][]float64 // [input][trial in block] for per-trial inputs
	mdraws    [][]float64 // [input][t*n + trial] for per-month inputs
	u         []float64
	corr      [][]float64
	clamp     []int
	conv      []float64  // the convergence output's defined values in a block
	err       error      // the first failure of a block
	tapes     []tapeWork // per model, for tapeTrials
	cmpBase   []float64  // the base's compared output, per trial of a tape block
	cmpBaseOK []bool
	rate      []float64 // the trial's discount rate, when it is uncertain
	stream    *stream   // reseeded for each input's and group's stream
	events    *stream   // a compound Poisson input's events (its second stream)
	ic        []*icWork // Iman–Conover scratch, per correlation group
	guard     guardScratch
	fanCum    []float64 // the fans' running totals, per trial of a tape block
}

// drawsOf returns input i's draws in the current block.
func (w *worker) drawsOf(i, n, months int, perMonth bool) []float64 {
	if perMonth {
		return w.mdraws[i][:n*months]
	}
	return w.draws[i][:n]
}

// prepare builds the models' tapes, then allocates the samples; execute
// runs it beside the workers, which sample their first blocks' draws
// meanwhile and wait for it (e.prepared) before evaluating. The samples
// come after the build so that the build's garbage (tens of MB on a large
// portfolio) is collected by the GCs the samples' allocation triggers,
// instead of adding to the peak of a run whose samples take gigabytes.
func (e *engine) prepare() {
	defer close(e.prepared)
	defer func() {
		if r := recover(); r != nil { // as safeBlock: a bug fails the run, not the process
			e.prepErr = recovered(r)
		}
	}()
	if e.prepErr = buildTapes(e.models, 1); e.prepErr != nil {
		return
	}
	trials := e.opt.Trials
	for i := range e.inputs {
		e.inputs[i] = make([]float64, trials)
	}
	e.defined = make([][]bool, len(e.plans))
	for i := range e.outputs {
		e.outputs[i] = make([]float64, trials)
		if e.plans[i].canBeUndefined() {
			e.defined[i] = make([]bool, trials)
		}
	}
	e.fanVals = make([][]float64, len(e.fans))
	for f := range e.fanVals {
		e.fanVals[f] = make([]float64, e.lay.months*trials)
	}
	e.diffDefined = make([][]bool, len(e.diffs))
	for i := range e.diffs {
		e.diffs[i] = make([]float64, trials)
		if e.cmp[0].canBeUndefined() {
			e.diffDefined[i] = make([]bool, trials)
		}
	}
}

func (e *engine) newWorker() *worker {
	w := &worker{clamp: make([]int, len(e.sp.inputs)), stream: newStream(), events: newStream()}
	for g := range e.sp.corrs {
		w.ic = append(w.ic, newICWork(e.icTargets[g], len(e.sp.corrs[g].inputs)))
	}
	w.draws = make([][]float64, len(e.sp.inputs))
	w.mdraws = make([][]float64, len(e.sp.inputs))
	return w
}

// execute runs the blocks on the workers and returns the trials done and
// the convergence record.
func (e *engine) execute(ctx context.Context) (int, *ConvergenceRecord, error) {
	total := e.opt.Trials
	nBlocks := e.numBlocks()
	e.prepared = make(chan struct{})
	go e.prepare()
	defer func() { <-e.prepared }() // nothing outlives the run
	e.clamped = make([][]int, nBlocks)
	e.guardAcc = make([][]guardCount, nBlocks)
	flat := make([]int, nBlocks*len(e.sp.inputs))
	for b := range e.clamped {
		e.clamped[b] = flat[b*len(e.sp.inputs) : (b+1)*len(e.sp.inputs)]
	}
	type done struct {
		block int
		stat  blockStat
		err   error
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan done, e.opt.Workers)
	var wg sync.WaitGroup
	for range min(e.opt.Workers, nBlocks) {
		wg.Go(func() {
			w := e.newWorker()
			for b := range jobs {
				if ctx.Err() != nil {
					results <- done{block: b, err: ctx.Err()}
					continue
				}
				stat, err := e.safeBlock(w, b)
				results <- done{block: b, stat: stat, err: err}
			}
			e.release(w)
		})
	}
	go func() {
		defer close(jobs)
		for b := range nBlocks {
			select {
			case jobs <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var rec *ConvergenceRecord
	if e.opt.Convergence != nil {
		rec = &ConvergenceRecord{Statistic: e.opt.Convergence.Statistic, Tolerance: e.opt.Convergence.Tolerance}
	}
	finished := make([]bool, nBlocks)
	stats := make([]blockStat, nBlocks)
	next := 0 // blocks 0..next-1 are done and checked, in order
	stopAt := -1
	var firstErr error
	for d := range results {
		if d.err != nil {
			if firstErr == nil && stopAt < 0 {
				firstErr = d.err
				cancel() // a failed block fails the run: stop the others
			}
			continue
		}
		finished[d.block], stats[d.block] = true, d.stat
		for next < nBlocks && finished[next] && stopAt < 0 {
			next++
			start, n := e.span(next - 1)
			doneTrials := start + n
			if e.opt.Progress != nil {
				e.opt.Progress(doneTrials, total)
			}
			if rec != nil && e.converged(rec, stats[:next], doneTrials) {
				stopAt = next
				cancel()
			}
		}
	}
	if err := parent.Err(); err != nil && stopAt < 0 {
		return 0, nil, err
	}
	if stopAt < 0 && firstErr != nil {
		return 0, nil, firstErr
	}
	trials := total
	if stopAt >= 0 {
		start, n := e.span(stopAt - 1)
		trials = start + n
	}
	return trials, rec, nil
}

// blockStat is what the convergence check needs of one block: the
// block's statistic (for batch means) and its sums (for the mean).
type blockStat struct {
	stat, sum, sumSq float64
	n                int
}

// minBatches is the fewest blocks a batch-means standard error is
// trusted on: with k batches its relative error is about 1/√(2(k−1)),
// 24 % at 10.
const minBatches = 10

// converged records the convergence check after a block and reports
// whether the run may stop. The mean's standard error is s/√n from every
// trial so far; a percentile's or CVaR's is by batch means over blocks,
// once there are minBatches of them.
func (e *engine) converged(rec *ConvergenceRecord, blocks []blockStat, trials int) bool {
	cv := e.opt.Convergence
	k := len(blocks)
	var est, se float64
	if cv.Statistic == StatMean {
		var sum, sumSq float64
		n := 0
		for _, b := range blocks {
			sum, sumSq, n = sum+b.sum, sumSq+b.sumSq, n+b.n
		}
		if n < 2 {
			return false
		}
		est = sum / float64(n)
		v := (sumSq - sum*sum/float64(n)) / float64(n-1)
		se = math.Sqrt(math.Max(v, 0) / float64(n))
	} else {
		// Batches are the blocks with at least one defined trial.
		k = 0
		for _, b := range blocks {
			if b.n > 0 {
				est += b.stat
				k++
			}
		}
		if k < minBatches {
			return false
		}
		est /= float64(k)
		ss := 0.0
		for _, b := range blocks {
			if b.n > 0 {
				ss += (b.stat - est) * (b.stat - est)
			}
		}
		se = math.Sqrt(ss/float64(k-1)) / math.Sqrt(float64(k))
	}
	rec.Trace = append(rec.Trace, ConvergencePoint{Trials: trials, Estimate: est, SE: se})
	if trials >= cv.MinTrials && se < cv.Tolerance {
		rec.Converged = true
		rec.At = trials
		return true
	}
	return false
}

// numBlocks is the number of blocks of a run: Trials / BlockSize, plus a
// short last block when the remainder is at least half a block and at
// least the correlation groups' minimum (a smaller remainder joins the
// last full block, so no block is too small to stratify or correlate).
func (e *engine) numBlocks() int {
	B, total := e.opt.BlockSize, e.opt.Trials
	n := total / B
	if n == 0 || total%B >= max(B/2, e.minBlock) {
		n++
	}
	return n
}

// span returns the first trial and the size of block b.
func (e *engine) span(b int) (start, n int) {
	B, total := e.opt.BlockSize, e.opt.Trials
	start = b * B
	if b == e.numBlocks()-1 {
		return start, total - start
	}
	return start, B
}

// safeBlock runs block b and returns its failure: an input that cannot
// be sampled, or a panic, recovered here so that a bug cannot crash the
// caller's process (the worker's scratch is rebuilt after a panic).
func (e *engine) safeBlock(w *worker, b int) (stat blockStat, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered(r)
			*w = *e.newWorker()
		}
	}()
	stat = e.block(w, b)
	err, w.err = w.err, nil
	return stat, err
}

// blockHook, when set (by a test), is called at the start of every block.
var blockHook func(block int)

// block simulates block b into the shared sample arrays and returns the
// block's convergence statistic.
func (e *engine) block(w *worker, b int) blockStat {
	if blockHook != nil {
		blockHook(b)
	}
	start, n := e.span(b)
	M := e.lay.months
	clear(w.clamp)
	// Draw every input's uniforms from its own stream: (seed, label, block).
	for i := range e.sp.inputs {
		ip := &e.sp.inputs[i]
		if ip.countOf > 0 {
			continue // filled with its compound Poisson source (an earlier input)
		}
		rng := w.stream.reseed(e.opt.Seed, ip.label, b)
		if !ip.month {
			w.draws[i] = e.sp.sampler.Uniforms(w.draws[i], n, rng)
			continue
		}
		if cap(w.mdraws[i]) < n*M {
			w.mdraws[i] = make([]float64, n*M)
		}
		md := w.mdraws[i][:n*M]
		for t := range M {
			w.u = e.sp.sampler.Uniforms(w.u, n, rng)
			copy(md[t*n:(t+1)*n], w.u)
		}
		if ip.rho > 0 {
			s := math.Sqrt(1 - ip.rho*ip.rho)
			for j := range n {
				z := distuv.UnitNormal.Quantile(clampOpen(md[j]))
				for t := 1; t < M; t++ {
					eps := distuv.UnitNormal.Quantile(clampOpen(md[t*n+j]))
					z = ip.rho*z + s*eps
					md[t*n+j] = distuv.UnitNormal.CDF(z)
				}
			}
		}
		if ip.events > 0 {
			// A compound Poisson month: the count from the sampled
			// uniform, the events from their own stream; the events
			// longer than the counting plan's threshold, if any, into
			// that plan's month.
			ev := w.events.reseed(e.opt.Seed, ip.label+"#events", b)
			over, long := math.Inf(1), []float64(nil)
			if c := ip.count - 1; c >= 0 {
				over = e.sp.inputs[c].over
				if cap(w.mdraws[c]) < n*M {
					w.mdraws[c] = make([]float64, n*M)
				}
				long = w.mdraws[c][:n*M]
			}
			for k := range md {
				s, l := compound(md[k], ip.events, ip.dist, ev, over)
				md[k] = s
				if long != nil {
					long[k] = float64(l)
				}
			}
		} else {
			for k := range md {
				md[k] = ip.dist.Quantile(md[k])
			}
		}
		if ip.walk {
			walk(md, n, M)
		}
		w.mdraws[i] = md
	}
	// Correlate the uniforms of each group (Iman–Conover reorders ranks,
	// which the quantile transform keeps).
	for g := range e.sp.corrs {
		cp := &e.sp.corrs[g]
		w.corr = w.corr[:0]
		for _, i := range cp.inputs {
			w.corr = append(w.corr, w.draws[i][:n])
		}
		if err := w.ic[g].correlate(w.corr, w.stream.reseed(e.opt.Seed, e.corrLabels[g], b)); err != nil {
			// Unreachable: run checks every block's size against the group.
			w.err = fmt.Errorf("montecarlo: correlations[%d] (%s) in trials %d to %d: %w", cp.index, e.sp.groupLabels(g), start+1, start+n, err)
		}
	}
	for i := range e.sp.inputs {
		if !e.sp.inputs[i].month {
			d := w.draws[i][:n]
			for j := range d {
				d[j] = e.sp.inputs[i].dist.Quantile(d[j])
			}
		}
		for _, v := range w.drawsOf(i, n, M, e.sp.inputs[i].month) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				w.err = fmt.Errorf("montecarlo: input %s drew %s: its distribution cannot be sampled at these parameters", quote(e.sp.inputs[i].label), formatG(v))
				break
			}
		}
	}
	if <-e.prepared; e.prepErr != nil {
		w.err = e.prepErr
		return blockStat{}
	}
	e.tapeTrials(w, start, n)
	copy(e.clamped[b], w.clamp)
	if e.opt.Convergence == nil {
		return blockStat{}
	}
	x := e.definedOf(e.conv[0], start, n, w)
	bs := blockStat{n: len(x)}
	if len(x) == 0 {
		return bs // no defined trial: the block has no statistic
	}
	bs.stat = e.blockStatistic(x)
	for _, v := range x {
		bs.sum += v
		bs.sumSq += v * v
	}
	return bs
}

// definedOf returns the convergence output's defined values in a block,
// in trial order, in the worker's scratch (convergence outputs are always
// recorded: see run).
func (e *engine) definedOf(op outPlan, start, n int, w *worker) []float64 {
	for k := range e.plans {
		if e.plans[k].out != op.out {
			continue
		}
		x := e.outputs[k][start : start+n]
		d := e.defined[k]
		if d == nil {
			w.conv = append(w.conv[:0], x...)
			return w.conv
		}
		w.conv = w.conv[:0]
		for j, v := range x {
			if d[start+j] {
				w.conv = append(w.conv, v)
			}
		}
		return w.conv
	}
	return nil
}

// blockStatistic is the convergence statistic of a block's defined
// values; x is scratch the function may reorder.
func (e *engine) blockStatistic(x []float64) float64 {
	cv := e.opt.Convergence
	switch cv.Statistic {
	case StatMean:
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	slices.Sort(x)
	if cv.Statistic == StatPercentile {
		return Percentile(x, cv.P)
	}
	return CVaR(x, cv.P)
}

package montecarlo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash"
	"slices"
	"sync"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// The compiled-model cache. Validating a portfolio, building its
// statement graph and compiling the graph to a float tape are the part of
// a run that does not run on the workers (about 40 ms on the benchmark
// portfolio, the work of some 1,500 trials), and a program that runs the
// same portfolio again (another seed, other distributions on the same
// drivers, more trials, a convergence study, a report's runs) would pay
// it every time. A run therefore keeps, for the last few portfolios it
// met, the validated drivers and the tapes compiled for them, and reuses
// them when a later run's portfolio has the same content.
//
// The key is the content, never the pointer: a portfolio is a mutable
// value, and one changed between two runs must be validated and built
// again. The content is the portfolio's JSON (every field of a Portfolio
// is in it; Save and Load round-trip it), hashed with SHA-256. A tape is
// keyed, within its portfolio, by what Compile was given besides the
// graph: the drivers that vary (per trial or per month, and which input
// draws each), whether the discount rate is drawn, and the outputs' plans.
// A failed build is not kept. The guardrails planned on the portfolio
// (the outputs their windows and cells read) are kept too, keyed by the
// rules' JSON, for the last guardPlansPerPortfolio rule sets. The cache holds at most modelCacheSize
// portfolios and tapesPerPortfolio tapes each, the least recently used
// leaving first; the benchmark portfolio's entry with one tape holds
// about 0.6 MB after a run.

// modelCacheSize is the most portfolios the cache holds.
const modelCacheSize = 4

// tapesPerPortfolio is the most tapes it holds for one portfolio.
const tapesPerPortfolio = 4

type cacheKey [sha256.Size]byte

// cachedPortfolio is a validated portfolio's drivers and its tapes.
type cachedPortfolio struct {
	key cacheKey
	// drivers are the portfolio's Drivers(), addrs their addresses and
	// base their values in float64: read-only, shared by the runs.
	drivers []costmodel.Driver
	addrs   []string
	base    []float64
	mu      sync.Mutex
	tapes   []cachedTape // most recently used first
	guards  []cachedGuards
}

// cachedGuards are guardrails planned on the portfolio (planGuardrails'
// result, read-only), keyed by the rules' JSON.
type cachedGuards struct {
	key   cacheKey
	gps   []guardPlan
	plans []outPlan
}

// guardPlansPerPortfolio is the most rule sets kept for one portfolio.
const guardPlansPerPortfolio = 4

// planGuardrailsCached is planGuardrails, reusing the plans of a
// portfolio with this content for rules with this content (thousands of
// outputs resolved for 10 rules on the benchmark portfolio: a few ms a
// run). c may be nil (nothing cached). Only plans without problems are
// kept; the rules themselves are the caller's (a limit written 0.10 or
// 0.1 plans the same).
func planGuardrailsCached(c *cachedPortfolio, p *costmodel.Portfolio, lay *layout, rules scenario.Guardrails, pr *costmodel.Problems) ([]guardPlan, []outPlan) {
	if c == nil || len(rules) == 0 {
		return planGuardrails(p, lay, rules, pr)
	}
	b, err := json.Marshal(rules)
	if err != nil {
		return planGuardrails(p, lay, rules, pr)
	}
	key := sha256.Sum256(b)
	c.mu.Lock()
	for i, g := range c.guards {
		if g.key == key {
			copy(c.guards[1:i+1], c.guards[:i])
			c.guards[0] = g
			c.mu.Unlock()
			gps := slices.Clone(g.gps)
			for i := range gps {
				gps[i].rule = rules[i]
			}
			return gps, g.plans
		}
	}
	c.mu.Unlock()
	var mine costmodel.Problems
	gps, plans := planGuardrails(p, lay, rules, &mine)
	if mine.Len() > 0 {
		pr.Merge("", mine.Err())
		return gps, plans
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.guards) == guardPlansPerPortfolio {
		c.guards = c.guards[:guardPlansPerPortfolio-1]
	}
	c.guards = append([]cachedGuards{{key, gps, plans}}, c.guards...)
	return gps, plans
}

type cachedTape struct {
	key cacheKey
	tm  *tapeModel
}

var modelCache struct {
	sync.Mutex
	list []*cachedPortfolio // most recently used first
}

// portfolioKey is the hash of p's content; ok is false when p cannot be
// encoded (then nothing is cached).
func portfolioKey(p *costmodel.Portfolio) (cacheKey, bool) {
	b, err := json.Marshal(p)
	if err != nil {
		return cacheKey{}, false
	}
	return sha256.Sum256(b), true
}

// cachedModel returns the cached entry of a portfolio with this content.
func cachedModel(key cacheKey) *cachedPortfolio {
	modelCache.Lock()
	defer modelCache.Unlock()
	for i, c := range modelCache.list {
		if c.key == key {
			copy(modelCache.list[1:i+1], modelCache.list[:i])
			modelCache.list[0] = c
			return c
		}
	}
	return nil
}

// cacheModel adds a validated portfolio's entry and returns the entry the
// cache holds for its content (an earlier one when another run added it
// meanwhile).
func cacheModel(c *cachedPortfolio) *cachedPortfolio {
	modelCache.Lock()
	defer modelCache.Unlock()
	for _, o := range modelCache.list {
		if o.key == c.key {
			return o
		}
	}
	if len(modelCache.list) == modelCacheSize {
		modelCache.list = modelCache.list[:modelCacheSize-1]
	}
	modelCache.list = append([]*cachedPortfolio{c}, modelCache.list...)
	return c
}

// resetModelCache empties the cache (for tests).
func resetModelCache() {
	modelCache.Lock()
	modelCache.list = nil
	modelCache.Unlock()
}

// tape returns the entry's tape for key, adding tm under it when there is
// none: the caller builds the tape it gets back (tapeModel.ready builds
// it once whoever asks).
func (c *cachedPortfolio) tape(key cacheKey, tm *tapeModel) *tapeModel {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, t := range c.tapes {
		if t.key == key {
			copy(c.tapes[1:i+1], c.tapes[:i])
			c.tapes[0] = t
			return t.tm
		}
	}
	if len(c.tapes) == tapesPerPortfolio {
		c.tapes = c.tapes[:tapesPerPortfolio-1]
	}
	c.tapes = append([]cachedTape{{key, tm}}, c.tapes...)
	return tm
}

// forget removes a tape whose build failed.
func (c *cachedPortfolio) forget(tm *tapeModel) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, t := range c.tapes {
		if t.tm == tm {
			c.tapes = append(c.tapes[:i], c.tapes[i+1:]...)
			return
		}
	}
}

// tapeKey is the hash of what a tape is compiled from besides the
// portfolio: the per-month drivers, the discount rate's input, each
// input's drivers and whether it is drawn per month, and the plans.
func tapeKey(byMonth []string, rate tapeFeed, sp *specPlan, plans []outPlan) cacheKey {
	// Written field by field, not with fmt (a run with guardrails has
	// thousands of plans: %+v took a few ms a run); TestTapeKeyFields
	// fails when a struct gains a field this does not write.
	w := keyWriter{h: sha256.New(), b: make([]byte, 0, 1<<12)}
	w.int(len(byMonth))
	for _, s := range byMonth {
		w.str(s)
	}
	w.int(rate.input)
	w.int(rate.at)
	w.int(len(sp.inputs))
	for i := range sp.inputs {
		w.bool(sp.inputs[i].month)
		w.int(len(sp.inputs[i].drivers))
		for _, d := range sp.inputs[i].drivers {
			w.int(d)
		}
	}
	w.int(len(plans))
	for i := range plans {
		w.plan(&plans[i])
		if len(w.b) >= 1<<12-1<<9 {
			w.flush()
		}
	}
	w.flush()
	var k cacheKey
	w.h.Sum(k[:0])
	return k
}

// keyWriter encodes a tape's key into the hash h: each value
// length-prefixed or fixed-size, so that different contents never write
// the same bytes (b is a buffer, flushed into h).
type keyWriter struct {
	h hash.Hash
	b []byte
}

func (w *keyWriter) flush() {
	w.h.Write(w.b)
	w.b = w.b[:0]
}

func (w *keyWriter) int(v int) { w.b = binary.AppendVarint(w.b, int64(v)) }

func (w *keyWriter) str(s string) {
	w.int(len(s))
	w.b = append(w.b, s...)
}

func (w *keyWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *keyWriter) month(m costmodel.Month) {
	w.int(m.Year)
	w.int(int(m.Month))
}

func (w *keyWriter) plan(pl *outPlan) {
	o := &pl.out
	w.str(string(o.Scope))
	w.str(o.Key)
	w.str(string(o.Metric))
	win := &o.Window
	w.str(string(win.Kind))
	w.int(win.Year)
	w.int(win.Quarter)
	w.month(win.Month)
	w.int(win.Span)
	w.month(win.From)
	w.month(win.To)
	w.str(win.Name)
	w.int(int(win.Calendar))
	w.str(string(o.View))
	w.str(string(pl.scope))
	w.int(pl.idx)
	w.str(string(pl.metric))
	w.int(int(pl.line))
	w.bool(pl.ratio)
	w.int(len(pl.months))
	for _, t := range pl.months {
		w.int(t)
	}
	w.int(len(pl.cc))
	for _, c := range pl.cc {
		w.int(c.part)
		w.int(c.cat)
	}
}

package scenario

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/marginalhq/marginal/costmodel"
)

// RunTornadoProgress is RunTornado that tells progress, when not nil,
// how many of its statements (1 + 2 per input) are evaluated so far. It is
// called after each evaluation, from one goroutine at a time (the
// evaluations run in parallel; the call is made under a lock, and an
// evaluation takes far longer than the call).
func RunTornadoProgress(p *costmodel.Portfolio, out Output, inputs []Input, progress func(done, total int)) (*Tornado, error) {
	return runTornado(p, out, inputs, progress)
}

// evalAllProgress evaluates portfolios on all cores, in input order,
// and reports every failure, each under its label (labels[i] names
// ps[i]); progress, when not nil, is told of each statement evaluated.
func evalAllProgress(ps []*costmodel.Portfolio, progress func(done, total int), labels ...string) ([]*costmodel.Statement, error) {
	out := make([]*costmodel.Statement, len(ps))
	errs := make([]error, len(ps))
	workers := min(runtime.GOMAXPROCS(0), len(ps))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = safeEvaluate(ps[i])
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(ps))
					mu.Unlock()
				}
			}
		})
	}
	for i := range ps {
		next <- i
	}
	close(next)
	wg.Wait()
	var pr costmodel.Problems
	for i, err := range errs {
		if pe := (*PanicError)(nil); errors.As(err, &pe) {
			return nil, pe
		}
		if err != nil {
			label := fmt.Sprintf("evaluation %d", i)
			if i < len(labels) {
				label = labels[i]
			}
			pr.Merge(label, err)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

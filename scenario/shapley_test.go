package scenario

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// The textbook glove game: player 1 holds a left glove, players 2 and 3 a right glove each, and a
// pair is worth 1. Its Shapley value is (2/3, 1/6, 1/6).
func TestShapleyGloveGame(t *testing.T) {
	t.Parallel()
	v := make([]decimal.Decimal, 8)
	for s := range v {
		if s&1 != 0 && s&6 != 0 {
			v[s] = decimal.NewFromInt(1)
		}
	}
	phi, err := Shapley(v)
	if err != nil {
		t.Fatal(err)
	}
	third := decimal.NewFromInt(1).DivRound(decimal.NewFromInt(3), ShapleyPlaces)
	sixth := decimal.NewFromInt(1).DivRound(decimal.NewFromInt(6), ShapleyPlaces)
	want := []decimal.Decimal{third.Add(third), sixth, sixth}
	for i := range want {
		// Each value is rounded once, to 12 places: within 1e-12 of
		// 2/3 and 1/6 as they round.
		if phi[i].Sub(want[i]).Abs().GreaterThan(decimal.New(1, -ShapleyPlaces)) {
			t.Errorf("φ%d = %s, want %s", i+1, phi[i], want[i])
		}
	}
}

// TestShapleyAxioms: on random games of 2 to 10 parties the values sum to
// v(N) within n half-units of the 12th place (each is rounded once), and
// two parties made symmetric (v(S ∪ i) = v(S ∪ j) for every S without
// both) get exactly the same value.
func TestShapleyAxioms(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 1))
	for n := 2; n <= MaxParties; n++ {
		v := make([]decimal.Decimal, 1<<n)
		for s := 1; s < len(v); s++ {
			v[s] = decimal.New(rng.Int64N(2_000_000)-500_000, -2)
		}
		i, j := rng.IntN(n), rng.IntN(n-1)
		if j >= i {
			j++
		}
		for s := range v { // symmetrise i and j: S with i not j takes the value of S with j not i
			if s&(1<<i) != 0 && s&(1<<j) == 0 {
				v[s] = v[s&^(1<<i)|1<<j]
			}
		}
		phi, err := Shapley(v)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, x := range phi {
			sum = sum.Add(x)
		}
		if tol := decimal.New(int64(n)*5, -ShapleyPlaces-1); sum.Sub(v[len(v)-1]).Abs().GreaterThan(tol) {
			t.Errorf("n=%d: Σφ = %s, v(N) = %s", n, sum, v[len(v)-1])
		}
		if !phi[i].Equal(phi[j]) {
			t.Errorf("n=%d: symmetric parties %d and %d get %s and %s", n, i, j, phi[i], phi[j])
		}
	}
}

func TestShapleyBadInput(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    []decimal.Decimal
		want string
	}{
		{make([]decimal.Decimal, 1<<11), "at most 10 parties"},
		{make([]decimal.Decimal, 6), "2^n values"},
		{nil, "2^n values"},
		{[]decimal.Decimal{decimal.NewFromInt(1), decimal.Zero}, "empty coalition"},
	} {
		if _, err := Shapley(c.v); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d values: %v, want %q", len(c.v), err, c.want)
		}
	}
	parties := make([]Party, 11)
	for i := range parties {
		parties[i] = Party{Name: "p", Value: []costmodel.Term{{Line: costmodel.LineOurValue, Sign: 1}}}
	}
	if _, err := (Coalition{Partnership: "acc", Parties: parties}).Shapley(tiered("5")); err == nil || !strings.Contains(err.Error(), "2 to 10 parties") {
		t.Errorf("11 parties: %v", err)
	}
}

// TestCoalitionByHand: us, the marketplace (both essential) and an
// integrator we pay $300 a month (maintenance) that brings a fifth of the
// orders. On the tiered portfolio at the current 8 %, with it: ours
// 5,000 − 1,900 − 300 = 2,800, the marketplace's 1,900 − 500 = 1,400, the
// integrator's 300 (v(N) = 4,500); without it (80 orders): ours 4,000 −
// 1,520 = 2,480, the marketplace's 1,520 − 400 = 1,120 (3,600). The
// integrator adds 900 only by joining us both: 900 × 2!0!/3! = 300; we
// and the marketplace are symmetric: 2,100 each. The marketplace's 2,100
// is implemented by the second tier's rate r with 1,500 + 5,000 r − 500 =
// 2,100: r = 0.22.
func TestCoalitionByHand(t *testing.T) {
	t.Parallel()
	p := tiered("5")
	p.Partnerships[0].Maintenance = []costmodel.MaintenanceItem{{ID: "integrator", Monthly: dec("300")}}
	c := Coalition{Partnership: "acc", Parties: []Party{
		{Name: "us", Essential: true, Value: []costmodel.Term{{Line: costmodel.LineOurValue, Sign: 1}}},
		{Name: "marketplace", Essential: true, Value: []costmodel.Term{{Line: costmodel.LinePartnerValue, Sign: 1}}},
		{Name: "integrator", Value: []costmodel.Term{{Line: costmodel.LineMaintenance, Sign: 1}},
			Without: &Scenario{Name: "no integrator", Shocks: []Shock{
				{Target: "acc/*/orders", Op: costmodel.Multiply, Value: dec("0.8")},
				{Target: "acc/maintenance/integrator/monthly", Op: costmodel.SetTo, Value: dec("0")}}}},
	}, Implement: &Knob{Driver: "acc/commission/tier/2/rate"}, Payee: 1}
	sp, err := c.Shapley(p)
	if err != nil {
		t.Fatal(err)
	}
	if !sp.Values[3].Equal(dec("3600")) || !sp.Values[7].Equal(dec("4500")) || !sp.Values[5].IsZero() {
		t.Errorf("coalition values %v", sp.Values)
	}
	for i, w := range []string{"2100", "2100", "300"} {
		if !sp.Shapley[i].Equal(dec(w)) {
			t.Errorf("φ(%s) = %s, want %s", sp.Parties[i], sp.Shapley[i], w)
		}
	}
	if !sp.Transfer[0].Equal(dec("-700")) || !sp.Transfer[1].Equal(dec("700")) || !sp.Transfer[2].IsZero() {
		t.Errorf("transfers %v", sp.Transfer)
	}
	if sp.Implemented == nil {
		t.Fatal("no implementing rate")
	}
	near(t, "implementing rate", sp.Implemented.X, 0.22, DefaultTolerance+0.01/5000)
}

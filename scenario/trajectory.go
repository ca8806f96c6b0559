package scenario

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Trajectory is a structural scenario: a named list of changes to the
// portfolio's structure — a partnership or channel added at a month, new
// categories (SKUs) for a partnership at a month, a cross-border lane
// opened — where a Scenario only changes the values of drivers. Apply
// makes the changes on a copy of the portfolio; the copy is evaluated by
// the same model graph as any portfolio (costmodel.Evaluate,
// montecarlo.Run, the workbook), so a trajectory adds no arithmetic of
// its own: an added partnership's set-up, ramp and running costs are its
// ordinary lines, and the orders it takes from existing channels are
// costmodel.OrderTake.
//
// A trajectory with no changes is the portfolio as it is, under its
// name ("stay domestic").
//
// In a trajectories file, name and changes are required; description
// is optional.
type Trajectory struct {
	Name        string   `json:"name" required:"true"`
	Description string   `json:"description,omitempty"`
	Changes     []Change `json:"changes" required:"true"`
}

// Change is one structural change of a trajectory, at month At (an
// offset from the portfolio start, 0-based, within the horizon): give
// exactly one of AddPartnership, AddCategories and OpenLane.
type Change struct {
	// At is the month the change starts to sell: the added partnership's
	// launch_month, the added categories' launch_month. Set-up items keep
	// the months they are written with (a set-up may come before launch).
	// Required.
	At int `json:"at" required:"true"`
	// AddPartnership adds a partnership (a new channel when its channel
	// is one the portfolio does not have) with everything a partnership
	// has: categories with their ramps, terms, set-up, running costs, and
	// takes (the shares of its orders that come from existing
	// partnerships or channels: costmodel.OrderTake). Its launch_month is
	// At: leave it out.
	AddPartnership *costmodel.Partnership `json:"add_partnership,omitempty"`
	// AddCategories adds categories (SKUs) to an existing partnership.
	AddCategories *CategoryAddition `json:"add_categories,omitempty"`
	// OpenLane opens a cross-border lane.
	OpenLane *Lane `json:"open_lane,omitempty"`
}

// CategoryAddition adds categories to a partnership at the change's
// month: each category's launch_month is the change's At (leave it out);
// its ramp, growth and seasonality run from there. Setup items are the
// listing or set-up cost of the new SKUs, added to the partnership's
// set-up (their ids must be new to it). Partnership and Categories are
// required; Setup is optional.
type CategoryAddition struct {
	Partnership string                `json:"partnership" required:"true"`
	Categories  []costmodel.Category  `json:"categories" required:"true"`
	Setup       []costmodel.SetupItem `json:"setup,omitempty"`
}

// Lane is a cross-border lane: selling into another market through a
// partnership priced in that market's currency. Today it is a
// partnership added as AddPartnership adds one (launching at the
// change's At), whose currency must differ from the portfolio's, with
// the FX rate of that currency when the portfolio has none. Partnership
// is required; FX is required unless the portfolio already has a rate
// for the partnership's currency.
//
// Lane costs (import duties and VAT on the customs value, de-minimis
// thresholds, international and return shipping, the payment provider's
// FX fee) are not modelled here: they belong to the partnership's own
// lines in costmodel, and a lane will carry them in the partnership it
// adds once they exist.
type Lane struct {
	Partnership costmodel.Partnership `json:"partnership" required:"true"`
	FX          *costmodel.FXRate     `json:"fx,omitempty"`
}

// Apply returns a copy of p with the trajectory's changes and then each
// of the scenarios' shocks on top, in order (a trajectory composes with
// the existing scenarios: peak season on the trajectory "add a
// marketplace" is Apply(p, peak)); p is never modified.
//
// Every problem is reported at once, at its path within the trajectory
// ("changes[1].at", "changes[0].add_partnership.takes[0].channel"; Load
// puts "trajectories[i]." before it), or at the driver address it is
// about, and each message names the trajectory.
func (tr Trajectory) Apply(p *costmodel.Portfolio, on ...Scenario) (*costmodel.Portfolio, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	q, err := tr.build(p)
	if err != nil {
		return nil, err
	}
	for i, s := range on {
		if q, err = s.Apply(q); err != nil {
			var pr costmodel.Problems
			pr.Merge(fmt.Sprintf("scenarios[%d]", i), err)
			return nil, pr.Err()
		}
	}
	return q, nil
}

// build makes the changes and validates the result.
func (tr Trajectory) build(p *costmodel.Portfolio) (*costmodel.Portfolio, error) {
	q := p.Clone()
	var pr costmodel.Problems
	in := fmt.Sprintf(" (trajectory %q)", tr.Name)
	if tr.Name == "" {
		pr.Add("name", "", "a trajectory name")
		in = " (a trajectory without a name)"
	}
	// Where each added partnership and category came from, to report
	// the portfolio's problems at the trajectory's paths.
	addedPart := map[int]string{}
	addedCat := map[[2]int]string{}
	addedFX := map[int]string{} // index in q.FX → the open_lane's fx path
	ids := map[string]int{}
	for i := range q.Partnerships {
		ids[q.Partnerships[i].ID] = i
	}
	for c := range tr.Changes {
		ch := &tr.Changes[c]
		at := fmt.Sprintf("changes[%d]", c)
		n := 0
		for _, set := range []bool{ch.AddPartnership != nil, ch.AddCategories != nil, ch.OpenLane != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			pr.Add(at, fmt.Sprintf("%d kinds of change", n), "exactly one of add_partnership, add_categories and open_lane")
			continue
		}
		if ch.At < 0 || ch.At >= p.Months {
			pr.Add(at+".at", strconv.Itoa(ch.At), fmt.Sprintf("a month offset from 0 to %d (the horizon is %d months from %s)", p.Months-1, p.Months, p.Start))
			continue
		}
		addPartnership := func(ps costmodel.Partnership, path string) {
			if ps.LaunchMonth != 0 && ps.LaunchMonth != ch.At {
				pr.Add(path+".launch_month", strconv.Itoa(ps.LaunchMonth), fmt.Sprintf("no launch_month: the change's at (%d) is the launch", ch.At))
			}
			ps.LaunchMonth = ch.At
			if j, dup := ids[ps.ID]; dup && ps.ID != "" {
				pr.Add(path+".id", quote(ps.ID), fmt.Sprintf("an ID no partnership has (%s is %s)", ps.ID, partnershipPlace(j, len(p.Partnerships), addedPart)))
				return
			}
			ids[ps.ID] = len(q.Partnerships)
			addedPart[len(q.Partnerships)] = path
			q.Partnerships = append(q.Partnerships, ps.Clone())
		}
		switch {
		case ch.AddPartnership != nil:
			addPartnership(*ch.AddPartnership, at+".add_partnership")
		case ch.OpenLane != nil:
			ln := ch.OpenLane
			path := at + ".open_lane"
			cur := ln.Partnership.Currency
			switch {
			case cur == "" || strings.EqualFold(cur, p.Currency):
				pr.Add(path+".partnership.currency", quote(cur), fmt.Sprintf("the currency of the lane's market, other than the portfolio's %s (a domestic partnership is add_partnership)", p.Currency))
			case ln.FX != nil && !strings.EqualFold(ln.FX.Currency, cur):
				pr.Add(path+".fx.currency", quote(ln.FX.Currency), fmt.Sprintf("the partnership's currency %s", cur))
			case ln.FX != nil:
				if hasFX(q, cur) {
					pr.Add(path+".fx", cur, fmt.Sprintf("no fx: the portfolio already has a rate for %s", cur))
				} else {
					f := *ln.FX
					f.Monthly = append([]decimal.Decimal(nil), f.Monthly...)
					if len(ln.FX.Monthly) == 0 {
						f.Monthly = nil
					}
					addedFX[len(q.FX)] = path + ".fx"
					q.FX = append(q.FX, f)
				}
			case !hasFX(q, cur):
				pr.Add(path+".fx", "", fmt.Sprintf(`the FX rate of %s into %s ({"currency": %q, "rate": ...} or "monthly": [...]): the portfolio has none`, cur, p.Currency, cur))
			}
			addPartnership(ln.Partnership, path+".partnership")
		case ch.AddCategories != nil:
			ad := ch.AddCategories
			path := at + ".add_categories"
			i, ok := ids[ad.Partnership]
			if !ok {
				pr.Add(path+".partnership", quote(ad.Partnership), "the ID of a partnership of the portfolio or added before by this trajectory")
				continue
			}
			if len(ad.Categories) == 0 {
				pr.Add(path+".categories", "", "at least one category")
			}
			ps := &q.Partnerships[i]
			cats := costmodel.Partnership{Categories: ad.Categories}.Clone().Categories
			for j, c := range cats {
				if c.LaunchMonth != 0 && c.LaunchMonth != ch.At {
					pr.Add(fmt.Sprintf("%s.categories[%d].launch_month", path, j), strconv.Itoa(c.LaunchMonth), fmt.Sprintf("no launch_month: the change's at (%d) is the launch", ch.At))
				}
				c.LaunchMonth = ch.At
				addedCat[[2]int{i, len(ps.Categories)}] = fmt.Sprintf("%s.categories[%d]", path, j)
				ps.Categories = append(ps.Categories, c)
			}
			seen := map[string]bool{}
			for _, s := range ps.Setup {
				seen[s.ID] = true
			}
			for k, s := range ad.Setup {
				if seen[s.ID] {
					pr.Add(fmt.Sprintf("%s.setup[%d].id", path, k), quote(s.ID), fmt.Sprintf("a set-up ID %s does not have yet", ps.ID))
					continue
				}
				seen[s.ID] = true
				ps.Setup = append(ps.Setup, s)
			}
		}
	}
	if pr.Len() == 0 {
		for _, fe := range problemsOf(q.Validate()) {
			pr.Merge("", &costmodel.FieldError{Path: trajectoryPath(fe.Path, addedPart, addedCat, addedFX), Value: fe.Value, Expected: fe.Expected + in, Err: fe.Err})
		}
	} else {
		var named costmodel.Problems
		mergeIn(&named, pr.Err(), in)
		return nil, named.Err()
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

// partnershipPlace says where partnership j of the portfolio with the
// trajectory's additions comes from.
func partnershipPlace(j, own int, added map[int]string) string {
	if j < own {
		return fmt.Sprintf("partnerships[%d] of the portfolio", j)
	}
	return "added at " + added[j]
}

func hasFX(p *costmodel.Portfolio, cur string) bool {
	for _, f := range p.FX {
		if strings.EqualFold(f.Currency, cur) {
			return true
		}
	}
	return false
}

// trajectoryPath rewrites a portfolio path inside an added partnership
// or category ("partnerships[6].takes[0].channel") as the trajectory's
// ("changes[0].add_partnership.takes[0].channel"). Other paths (driver
// addresses, the portfolio's own fields) are kept. An FX rate an
// open_lane added ("fx[1].monthly") is the change's
// ("changes[0].open_lane.fx.monthly").
func trajectoryPath(path string, parts map[int]string, cats map[[2]int]string, fx map[int]string) string {
	if rest, ok := strings.CutPrefix(path, "fx["); ok {
		num, rest, ok := strings.Cut(rest, "]")
		if i, err := strconv.Atoi(num); ok && err == nil && fx[i] != "" {
			return fx[i] + rest
		}
		return path
	}
	rest, ok := strings.CutPrefix(path, "partnerships[")
	if !ok {
		return path
	}
	num, rest, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(num)
	if !ok || err != nil {
		return path
	}
	if at, ok := parts[i]; ok {
		return at + rest
	}
	crest, ok := strings.CutPrefix(rest, ".categories[")
	if !ok {
		return path
	}
	num, crest, ok = strings.Cut(crest, "]")
	j, err := strconv.Atoi(num)
	if !ok || err != nil {
		return path
	}
	if at, ok := cats[[2]int{i, j}]; ok {
		return at + crest
	}
	return path
}

// TrajectoryFile is the JSON form of a set of trajectories;
// "trajectories" is required.
type TrajectoryFile struct {
	Trajectories []Trajectory `json:"trajectories" required:"true"`
}

// LoadTrajectories reads trajectories from JSON ({"trajectories":
// [...]}) and checks each against the portfolio it will be applied to,
// reporting every problem at once with its JSON path
// ("trajectories[1].changes[0].at"): unknown fields, duplicate names, a
// month outside the horizon, an unknown partnership or channel to take
// orders from, shares outside [0, 1] or summing above 1, duplicate IDs,
// and whatever the portfolio with the changes would not validate.
func LoadTrajectories(r io.Reader, p *costmodel.Portfolio) ([]Trajectory, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	if r == nil {
		return nil, &costmodel.FieldError{Path: "(file)", Expected: "a reader to load the trajectories from, not nil"}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, &costmodel.FieldError{Path: "(file)", Expected: "a trajectories file of at most 64 MiB"}
	}
	var f TrajectoryFile
	if err := costmodel.DecodeStrict(data, &f); err != nil {
		return nil, err
	}
	var pr costmodel.Problems
	if len(f.Trajectories) == 0 {
		pr.Add("trajectories", "", "at least one trajectory")
	}
	seen := map[string]int{}
	for i, tr := range f.Trajectories {
		if j, dup := seen[tr.Name]; dup && tr.Name != "" {
			pr.Add(fmt.Sprintf("trajectories[%d].name", i), quote(tr.Name), fmt.Sprintf("a name not already used by trajectories[%d]", j))
		} else {
			seen[tr.Name] = i
		}
		if _, err := tr.Apply(p); err != nil {
			pr.Merge(fmt.Sprintf("trajectories[%d]", i), err)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return f.Trajectories, nil
}

// LoadTrajectoriesFile reads trajectories from the named JSON file (see
// LoadTrajectories); errors name the file.
func LoadTrajectoriesFile(name string, p *costmodel.Portfolio) ([]Trajectory, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ts, err := LoadTrajectories(f, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ts, nil
}

package technician

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// Generated sequences of outcomes: whatever fails, how often and in what
// order, the plan only ever runs the first step not done, never goes back
// over a step that succeeded unless asked to redo it, and finishes exactly
// when every step has succeeded.
func TestPlanGeneratedSequences(t *testing.T) {
	for seed := uint64(0); seed < 500; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		p := NewPlan(SetupSteps...)
		model := 0 // how many steps the model says are done
		runs := map[Step]int{}
		for op := 0; op < 60 && !p.Finished(); op++ {
			cur, ok := p.Current()
			if !ok || cur != SetupSteps[model] {
				t.Fatalf("seed %d op %d: current %q, want %q", seed, op, cur, SetupSteps[model])
			}
			switch k := r.IntN(10); {
			case k < 4: // the step fails (often several times in a row)
				_ = p.Report(cur, errors.New("broken"))
				runs[cur]++
				if p.Failed() == nil {
					t.Fatalf("seed %d: a failure is not kept", seed)
				}
			case k < 9:
				_ = p.Report(cur, nil)
				runs[cur]++
				model++
				if p.Failed() != nil {
					t.Fatalf("seed %d: a success keeps the old failure", seed)
				}
			default: // the technician redoes an earlier step (re-detect)
				if model > 0 {
					back := r.IntN(model)
					p.Redo(SetupSteps[back])
					model = back
				}
			}
			for i, s := range SetupSteps {
				if p.Done(s) != (i < model) {
					t.Fatalf("seed %d op %d: Done(%s) = %v with %d done", seed, op, s, p.Done(s), model)
				}
			}
		}
		if p.Finished() != (model == len(SetupSteps)) {
			t.Fatalf("seed %d: finished %v with %d of %d done", seed, p.Finished(), model, len(SetupSteps))
		}
		for _, s := range SetupSteps {
			if p.Attempts(s) != runs[s] {
				t.Fatalf("seed %d: %s attempts %d, ran %d", seed, s, p.Attempts(s), runs[s])
			}
		}
	}
}

// A failure then another failure then a success: the step is tried three
// times, the steps before it once, and a report out of turn is refused.
func TestPlanRetryDoesNotStartOver(t *testing.T) {
	p := NewPlan(SetupSteps...)
	must := func(s Step, err error) {
		t.Helper()
		if e := p.Report(s, err); e != nil {
			t.Fatal(e)
		}
	}
	must(StepNetwork, nil)
	must(StepDetect, nil)
	must(StepIDReader, errors.New("no card"))
	must(StepIDReader, errors.New("still no card"))
	if err := p.Report(StepPrinter, nil); err == nil {
		t.Fatal("the printer's test was taken while the reader's is current")
	}
	must(StepIDReader, nil)
	if got := []int{p.Attempts(StepNetwork), p.Attempts(StepDetect), p.Attempts(StepIDReader)}; !slices.Equal(got, []int{1, 1, 3}) {
		t.Fatalf("attempts %v", got)
	}
	p.Redo(StepScanner) // not reached: nothing changes
	if cur, _ := p.Current(); cur != StepPrinter {
		t.Fatalf("current %q", cur)
	}
	p.Redo(StepDetect)
	if cur, _ := p.Current(); cur != StepDetect || p.Done(StepIDReader) || !p.Done(StepNetwork) {
		t.Fatalf("after redoing detection: current %q", cur)
	}
}

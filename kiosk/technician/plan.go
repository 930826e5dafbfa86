package technician

import "fmt"

// Step is one check of the set-up.
type Step string

// The set-up's checks, in the order the wizard runs them.
const (
	StepNetwork  Step = "network"       // back office reachable, clock sane
	StepDetect   Step = "detect"        // every serial port listed and probed
	StepIDReader Step = "test.idreader" // read a card
	StepPrinter  Step = "test.printer"  // print the self-test receipt
	StepScanner  Step = "test.scanner"  // scan a code
)

// SetupSteps are the checks the first-boot set-up runs before enrolling.
var SetupSteps = []Step{StepNetwork, StepDetect, StepIDReader, StepPrinter, StepScanner}

// Plan is where a run of checks stands: the steps done form a prefix, the
// next to run is the first not done, and a failed step is run again
// (Retry) without going back over those before it. Redoing a step (for
// example detecting the ports again) undoes it and every step after it,
// since their results depend on it.
type Plan struct {
	steps    []Step
	done     int // steps[:done] succeeded
	failed   error
	attempts map[Step]int
}

// NewPlan returns a plan of steps, in order.
func NewPlan(steps ...Step) *Plan {
	return &Plan{steps: append([]Step(nil), steps...), attempts: map[Step]int{}}
}

// Steps returns the plan's steps in order.
func (p *Plan) Steps() []Step { return append([]Step(nil), p.steps...) }

// Current returns the step to run next; ok is false once every step is done.
func (p *Plan) Current() (s Step, ok bool) {
	if p.done == len(p.steps) {
		return "", false
	}
	return p.steps[p.done], true
}

// Done reports whether step s has succeeded (and not been undone since).
func (p *Plan) Done(s Step) bool {
	for i := 0; i < p.done; i++ {
		if p.steps[i] == s {
			return true
		}
	}
	return false
}

// Finished reports whether every step has succeeded.
func (p *Plan) Finished() bool { return p.done == len(p.steps) }

// Failed returns the current step's last failure, nil when it has not
// failed (or has not run yet).
func (p *Plan) Failed() error { return p.failed }

// Attempts returns how many times step s has been reported.
func (p *Plan) Attempts(s Step) int { return p.attempts[s] }

// Report records how the current step s ended. A success moves on to the
// next step; a failure keeps s current, to be retried. Reporting a step
// that is not current is a caller's mistake and is refused.
func (p *Plan) Report(s Step, err error) error {
	cur, ok := p.Current()
	if !ok || cur != s {
		return fmt.Errorf("technician: step %q reported while %q is the current step", s, cur)
	}
	p.attempts[s]++
	p.failed = err
	if err == nil {
		p.done++
	}
	return nil
}

// Redo undoes step s and every step after it, so that s runs next. A step
// not in the plan, or not reached yet, changes nothing.
func (p *Plan) Redo(s Step) {
	for i := 0; i < p.done; i++ {
		if p.steps[i] == s {
			p.done = i
			p.failed = nil
			return
		}
	}
}

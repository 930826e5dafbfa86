package backoffice

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/textclean"
)

// checkParts returns why a bundle submission's parts cannot be accepted,
// or "": at most api.MaxParts, numbered 1, 2, ... in order, each naming
// its item, none twice.
func checkParts(parts []api.Part) string {
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return "a bundle submission has at least two parts"
	}
	if len(parts) > api.MaxParts {
		return fmt.Sprintf("a bundle submission has at most %d parts", api.MaxParts)
	}
	seen := map[string]bool{}
	for i, p := range parts {
		switch {
		case p.No != i+1:
			return fmt.Sprintf("part %d is numbered %d: parts are numbered 1, 2, ... in order", i+1, p.No)
		case p.AffairsCode == "" || p.AffairsName == "":
			return fmt.Sprintf("part %d needs its affairscode and affairsname", p.No)
		case len(p.AffairsCode) > maxShortString || len(p.AffairsName) > maxShortString || !utf8.ValidString(p.AffairsCode) || !utf8.ValidString(p.AffairsName):
			return fmt.Sprintf("part %d: affairscode or affairsname is too long or not UTF-8", p.No)
		case seen[p.AffairsCode]:
			return fmt.Sprintf("part %d applies for %s a second time", p.No, p.AffairsCode)
		case len(p.Fields) > maxFields || len(p.Display) > maxFields:
			return fmt.Sprintf("part %d lists more than %d fields", p.No, maxFields)
		}
		for k, v := range p.Display {
			if len(k) > maxShortString || len(v) > maxFieldBytes || !utf8.ValidString(k) || !utf8.ValidString(v) {
				return fmt.Sprintf("part %d: a display entry is too long or not UTF-8", p.No)
			}
		}
		seen[p.AffairsCode] = true
		for _, f := range p.Fields {
			if len(f) > maxShortString || !utf8.ValidString(f) {
				return fmt.Sprintf("part %d: a field name is too long or not UTF-8", p.No)
			}
		}
	}
	return ""
}

// cleanParts returns the parts with control and bidirectional formatting
// characters removed from their texts.
func cleanParts(parts []api.Part) []api.Part {
	if parts == nil {
		return nil
	}
	out := make([]api.Part, len(parts))
	for i, p := range parts {
		out[i] = api.Part{No: p.No, AffairsCode: textclean.Strip(p.AffairsCode), AffairsName: textclean.Strip(p.AffairsName)}
		for _, f := range p.Fields {
			out[i].Fields = append(out[i].Fields, textclean.Strip(f))
		}
		if p.Display != nil {
			out[i].Display = make(map[string]string, len(p.Display))
			for k, v := range p.Display {
				out[i].Display[textclean.Strip(k)] = textclean.Strip(v)
			}
		}
	}
	return out
}

// storeParts is what the store keeps of each part.
func storeParts(parts []api.Part) []store.Part {
	var out []store.Part
	for _, p := range parts {
		out = append(out, store.Part{No: p.No, AffairsCode: p.AffairsCode, AffairsName: p.AffairsName})
	}
	return out
}

// partStatuses says where each part of sub is, in both languages.
func (s *Server) partStatuses(ctx context.Context, sub store.Submission) ([]api.PartStatus, error) {
	parts, err := s.st.Parts(ctx, sub.Terminal, sub.ClientID)
	if err != nil || len(parts) == 0 {
		return nil, err
	}
	out := make([]api.PartStatus, len(parts))
	for i, p := range parts {
		words := s.words.Resolve(progress[p.State])
		out[i] = api.PartStatus{No: p.No, Receipt: p.Receipt, AffairsCode: p.AffairsCode, AffairsName: p.AffairsName,
			State: p.State, ProgressZH: words.ZH, ProgressEN: words.EN, ReasonZH: p.ReasonZH, ReasonEN: p.ReasonEN, UpdatedAt: p.StateAt}
	}
	return out, nil
}

// partsWithoutDisplay is parts without their display copies, which follow
// the catalog's labels and are left out of a submission's content digest
// as the whole form's are.
func partsWithoutDisplay(parts []api.Part) []api.Part {
	if parts == nil {
		return nil
	}
	out := make([]api.Part, len(parts))
	for i, p := range parts {
		p.Display = nil
		out[i] = p
	}
	return out
}

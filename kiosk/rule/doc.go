// Package rule is the one rule language of the catalog: an item's
// eligibility rules (kiosk.Rule.When) and its form fields' visibility
// (kiosk.Field.VisibleIf) are written, parsed, checked and evaluated here.
//
//	age >= 65 && hukou == "shanghai"
//	income_per_capita < param.dibao_standard
//	card in ["resident", "permit-hkmotw"]
//	pickup == "ems"
//
// The package knows no names. Whoever uses a rule supplies them through two
// small interfaces: Names says, before any resident comes, which names exist
// and what they hold (Check reports an unknown name or a type mismatch at
// load time); Resolver gives their values when the rule is evaluated. The
// catalog supplies facts about the resident (age, card, hukou, ...) and
// dated parameters (param.NAME); the form engine supplies the answers by
// field ID, with parts where an answer has them (live_address.district,
// members.count, partner_id.age).
//
// # A bare name is always a name
//
// A word that is not in double quotes is always a name, read through the
// Resolver, on either side of a comparison: `hukou == shanghai` compares
// hukou with a name called shanghai (and Check refuses it: there is no such
// name). Text is always written in double quotes: `hukou == "shanghai"`. A
// name alone is a condition only when it holds true or false (`card_expired`,
// `!identified`); any other name must be compared.
//
// # Grammar
//
// In EBNF (the notation of the Go specification):
//
//	Rule       = Or .
//	Or         = And { "||" And } .
//	And        = Unary { "&&" Unary } .
//	Unary      = "!" Unary | "(" Or ")" | Condition .
//	Condition  = Operand [ CompareOp Operand | [ "not" ] "in" List ] .
//	CompareOp  = "==" | "!=" | "<" | "<=" | ">" | ">=" .
//	List       = "[" [ Operand { "," Operand } ] "]" .
//	Operand    = Factor { "*" Factor } .
//	Factor     = Name | Number | Text | "true" | "false" .
//	Name       = Word { "." Word } .
//	Word       = Letter { Letter | Digit | "_" } .
//	Letter     = "a" … "z" | "A" … "Z" | "_" .
//	Digit      = "0" … "9" .
//	Number     = [ "-" ] Digit { Digit } [ "." Digit { Digit } ] .
//	Text       = `"` { Character | `\"` | `\\` } `"` .
//
// && binds tighter than ||. A comparison reads a name on at least one side
// (`1 == 1` is refused). "in", "not", "true" and "false" are not names.
// Spaces, tabs and new lines between tokens are ignored. Names are ASCII;
// any other character (Chinese included) may only appear inside text. A
// rule is at most MaxLen bytes and nests at most MaxDepth deep.
//
// # Types
//
// Every value is a Bool, a Number, a Text or a Date (a day, written as text
// "2006-01-02"). Check holds a rule to these:
//
//   - == and != compare two values of one type; a Date may be compared with
//     text that is a date ("2014-10-01");
//   - < <= > >= order two Numbers or two Dates;
//   - * multiplies Numbers (param.dibao_standard * 2);
//   - in and not in test a value against a list of values of its type;
//   - && || ! combine conditions; a lone operand must be a Bool;
//   - text compared with a name that declares its values (a choice field's
//     options, the values of hukou) must be one of them.
//
// # Truth
//
// Evaluation has three outcomes: True, False and Unknown, the last when a
// name the outcome depends on has no value yet (a question not answered, a
// fact the card does not carry). && is False when either side is False, ||
// is True when either side is True, and ! of Unknown is Unknown, so a rule
// is decided as soon as the values it has decide it. The catalog treats
// Unknown as "not decided yet"; the form shows a field only when its
// condition is True.
//
// # Errors
//
// Every problem, from parsing or checking, is an *Error: the column (in
// characters, from 1), the token found there as written, and what is wrong
// in plain words for the catalog's authors.
package rule

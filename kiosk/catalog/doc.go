// Package catalog loads and validates the service items, evaluates eligibility rules, and searches items by Chinese text, pinyin, initials, English and synonyms.
package catalog

// Package flow holds the resident session state machine: states, events, per-state timeouts driven by an injected clock, and the wipe of personal data when a session ends. It imports no UI, storage or network package.
package flow

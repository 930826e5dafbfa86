// Package config holds the terminal's configuration: embedded defaults that
// start a simulated terminal with no file, a strict `key = value` file
// format whose errors name the file, line and key, and validation in plain
// words.
package config

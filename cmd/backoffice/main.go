// Command backoffice runs the reference back-office server.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "backoffice: not built yet")
	os.Exit(1)
}

// Vendored from shared/recipes/hclcheck/main.go (hashicorp/hcl v2 from Debian golang-github-hashicorp-hcl-v2-dev).
// hclcheck: parse .tf/.hcl files with HCL v2 (the parser Terraform uses) and optionally
// require canonical formatting (hclwrite.Format == source, the core of `terraform fmt`).
// Usage: hclcheck [-fmt] [-diff] FILE...   exit 0 ok, 1 syntax error or unformatted, 2 usage/IO.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

func main() {
	checkFmt := flag.Bool("fmt", false, "also fail if a file is not canonically formatted (hclwrite.Format)")
	showDiff := flag.Bool("diff", false, "with -fmt, print the canonical version of unformatted files")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: hclcheck [-fmt] [-diff] FILE...")
		os.Exit(2)
	}
	parser := hclparse.NewParser()
	failed := false
	for _, path := range flag.Args() {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(2)
		}
		_, diags := parser.ParseHCL(src, path)
		for _, d := range diags {
			sev := "warning"
			if d.Severity == hcl.DiagError {
				sev, failed = "error", true
			}
			line, col := 0, 0
			if d.Subject != nil {
				line, col = d.Subject.Start.Line, d.Subject.Start.Column
			}
			fmt.Fprintf(os.Stderr, "%s:%d:%d: %s: %s; %s\n", path, line, col, sev, d.Summary, d.Detail)
		}
		if *checkFmt && !diags.HasErrors() {
			if out := hclwrite.Format(src); !bytes.Equal(out, src) {
				failed = true
				fmt.Fprintf(os.Stderr, "%s: not canonically formatted (run terraform fmt)\n", path)
				if *showDiff {
					os.Stderr.Write(out)
				}
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

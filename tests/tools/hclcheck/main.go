// The HCL parser the tests check generated code with: hashicorp/hcl v2 (Debian golang-github-hashicorp-hcl-v2-dev).
// hclcheck: parse .tf/.hcl files with HCL v2 (the parser Terraform uses) and optionally
// require canonical formatting (hclwrite.Format == source, the core of `terraform fmt`).
// Usage: hclcheck [-fmt] [-diff] [-values] FILE...   exit 0 ok, 1 syntax error or unformatted, 2 usage/IO.
// -values (Nautilus addition) prints, one JSON line per attribute, the value of every attribute that
// evaluates with no variables and no functions: what a literal really holds after HCL's escapes, so tests
// can prove NetBox text arrives literally and that nothing in it is interpolated.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"encoding/json"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// printValues walks a body and prints {"file","path","value"} for each attribute that evaluates
// without an EvalContext (references and function calls fail and are skipped).
func printValues(file string, body *hclsyntax.Body, path string) {
	for name, attr := range body.Attributes {
		val, diags := attr.Expr.Value(nil)
		if diags.HasErrors() || !val.IsWhollyKnown() {
			continue
		}
		raw, err := ctyjson.Marshal(val, val.Type())
		if err != nil {
			continue
		}
		line, _ := json.Marshal(map[string]interface{}{"file": file, "path": path + name, "value": json.RawMessage(raw)})
		fmt.Println(string(line))
	}
	for _, block := range body.Blocks {
		prefix := path + block.Type + "."
		for _, label := range block.Labels {
			prefix += label + "."
		}
		printValues(file, block.Body, prefix)
	}
}

func main() {
	checkFmt := flag.Bool("fmt", false, "also fail if a file is not canonically formatted (hclwrite.Format)")
	showDiff := flag.Bool("diff", false, "with -fmt, print the canonical version of unformatted files")
	values := flag.Bool("values", false, "print the value of every literal attribute as a JSON line")
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
		parsed, diags := parser.ParseHCL(src, path)
		if *values && !diags.HasErrors() {
			printValues(path, parsed.Body.(*hclsyntax.Body), "")
		}
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

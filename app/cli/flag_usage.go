package cli

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// singleDash matches a flag name written with one dash, as Go's flag
// package writes them in its errors ("flag provided but not defined: -x").
var singleDash = regexp.MustCompile(`(^|\s)-{1,2}([A-Za-z][\w-]*)`)

// doubleDash rewrites the flag names in a flag-package message with two
// dashes, the way this command documents them.
func doubleDash(msg string) string {
	return singleDash.ReplaceAllString(msg, "$1--$2")
}

// commandUsageError prints what is wrong with a command line, then a short
// usage: the command's synopsis, its flags and where to read more.
func commandUsageError(w io.Writer, fs *flag.FlagSet, msg string) {
	fmt.Fprintf(w, "%s: %s\n", fs.Name(), msg)
	fmt.Fprintf(w, "Usage:\n%s\n", synopsis(fs.Name()))
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	if len(names) > 0 {
		fmt.Fprint(w, wrapList("Flags: ", names, 78))
	}
	fmt.Fprintf(w, "See %q for what each flag does, %q for every command.\n", fs.Name()+" --help", "todos help")
}

// wrapList writes items after prefix, comma-separated, in lines of at most
// width columns, continuation lines indented under the first item.
func wrapList(prefix string, items []string, width int) string {
	var b strings.Builder
	line := prefix
	indent := strings.Repeat(" ", len(prefix))
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		if line != prefix && line != indent && len(line)+1+len(it) > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		if line != prefix && line != indent {
			line += " "
		}
		line += it
	}
	b.WriteString(line + "\n")
	return b.String()
}

// commandHelp prints a command's full help: its synopsis and each flag
// with its description and default, named with two dashes.
func commandHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage:\n%s\n", synopsis(fs.Name()))
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprint(w, "\nFlags:\n")
			first = false
		}
		kind, text := flag.UnquoteUsage(f)
		if t, ok := f.Value.(interface{ typeName() string }); ok {
			kind = t.typeName()
		}
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		if !isZeroDefault(f.DefValue) {
			if kind == "string" {
				text += fmt.Sprintf(" (default %q)", f.DefValue)
			} else {
				text += fmt.Sprintf(" (default %s)", f.DefValue)
			}
		}
		fmt.Fprintf(w, "%s\n%s", line, wrapWords(text, "        ", 78))
	})
	fmt.Fprintf(w, "\nSee %q for every command.\n", "todos help")
}

// isZeroDefault reports whether a flag's default is its type's zero value,
// which the help leaves out.
func isZeroDefault(v string) bool {
	switch v {
	case "", "0", "false", "0s", "[]":
		return true
	}
	return false
}

// wrapWords writes text in lines of at most width columns (longer words
// stand alone), each starting with indent.
func wrapWords(text, indent string, width int) string {
	var b strings.Builder
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(indent)+len(line)+1+len(word) > width {
			b.WriteString(indent + line + "\n")
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	b.WriteString(indent + line + "\n")
	return b.String()
}

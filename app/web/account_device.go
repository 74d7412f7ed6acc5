package web

import "strings"

// userAgentBrowsers and userAgentSystems name browsers and systems by a
// token of their User-Agent, checked in order (Edge's and Chrome's agents
// also say "Safari"; Android's also says "Linux").
var (
	userAgentBrowsers = [][2]string{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"},
	}
	userAgentSystems = [][2]string{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"CrOS", "ChromeOS"},
		{"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
	}
)

// deviceLabel names the device of a User-Agent for people: "Firefox on
// Linux", "Safari on iPhone", "Unknown device".
func deviceLabel(userAgent string) string {
	browser, system := "", ""
	for _, b := range userAgentBrowsers {
		if strings.Contains(userAgent, b[0]) {
			browser = b[1]
			break
		}
	}
	for _, sy := range userAgentSystems {
		if strings.Contains(userAgent, sy[0]) {
			system = sy[1]
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	return "Unknown device"
}

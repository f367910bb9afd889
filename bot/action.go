package bot

import "strings"

// Buttons of the claims, profile and verification screens carry
// "<screen>[:<action>[:<id>]]"; the router strips the screen. Telegram
// hands the data back as the bot sent it, but a button from an old version
// of the bot or a forged callback can carry anything, so it is parsed
// strictly: whatever does not parse is an unknown button.

// parseAction splits a button's data after the screen prefix into an
// action (lowercase letters, "" for the screen itself) and an optional
// record id (lowercase letters and digits, as PocketBase makes them).
func parseAction(data string) (action, id string, ok bool) {
	if len(data) > 64 { // Telegram's limit for callback data
		return "", "", false
	}
	action, id, hasID := strings.Cut(data, ":")
	if len(action) > 16 || !only(action, 'a', 'z', -1, -1) {
		return "", "", false
	}
	if hasID && (action == "" || id == "" || len(id) > 40 || !only(id, 'a', 'z', '0', '9')) {
		return "", "", false
	}
	return action, id, true
}

// only reports whether every byte of s is in [lo1, hi1] or [lo2, hi2].
func only(s string, lo1, hi1, lo2, hi2 rune) bool {
	for _, r := range s {
		if !(r >= lo1 && r <= hi1) && !(r >= lo2 && r <= hi2) {
			return false
		}
	}
	return true
}

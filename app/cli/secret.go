package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// secretFile holds the master secret, generated on first start.
const secretFile = "secret.key"

// loadOrCreateSecret returns the master secret kept in dataDir, creating it
// (32 random bytes, hex, mode 0600, synced to disk) if it does not exist
// yet. A secret file readable by others is refused (prepareDataDir, run
// first at start, takes such access away and logs it).
func loadOrCreateSecret(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, secretFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		err := writeSynced(path, []byte(hex.EncodeToString(key)+"\n"))
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateSecret(dataDir) // another process won the race
		} else if err != nil {
			return nil, err
		}
		return key, nil
	} else if err != nil {
		return nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by other users (mode %v): run chmod 600 on it", path, st.Mode().Perm())
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("%s is not a valid secret: delete it to generate a new one (open forms and pending messages become invalid; sessions are kept)", path)
	}
	return key, nil
}

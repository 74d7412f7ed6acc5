package tursofake

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// create handles POST /v1/organizations/{org}/databases.
func (f *Fake) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name  string `json:"name"`
		Group string `json:"group"`
		Seed  *struct {
			Type      string `json:"type"`
			Name      string `json:"name"`
			Timestamp string `json:"timestamp"`
		} `json:"seed"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body")
		return
	}
	if !validName(in.Name) {
		writeError(w, http.StatusBadRequest, "invalid database name: lowercase letters, digits and dashes, at most 64 characters")
		return
	}
	f.mu.Lock()
	switch {
	case !f.groups[in.Group]:
		f.mu.Unlock()
		writeError(w, http.StatusNotFound, "group "+in.Group+" not found")
		return
	case f.dbs[in.Name] != nil:
		f.mu.Unlock()
		writeError(w, http.StatusConflict, "database with name "+in.Name+" already exists")
		return
	case in.Seed != nil && (in.Seed.Type != "database" || f.dbs[in.Seed.Name] == nil):
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, "invalid seed")
		return
	case in.Seed != nil && f.dbs[in.Seed.Name].Group != in.Group:
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, "a branch must be in its seed database's group "+f.dbs[in.Seed.Name].Group)
		return
	case in.Seed != nil && in.Seed.Timestamp != "":
		f.mu.Unlock() // sqld forks at a timestamp only with a backup service
		writeError(w, http.StatusBadRequest, "point-in-time seeds are not supported by this fake")
		return
	}
	if in.Seed != nil {
		f.branches++
	}
	db := &database{Name: in.Name, DbID: randomHex(16), Group: in.Group}
	f.dbs[in.Name] = db // reserved; removed again if sqld refuses
	f.mu.Unlock()
	path := "/v1/namespaces/" + in.Name + "/create"
	if in.Seed != nil {
		path = "/v1/namespaces/" + in.Seed.Name + "/fork/" + in.Name
	}
	if err := f.admin(r.Context(), http.MethodPost, path, map[string]any{}); err != nil {
		f.mu.Lock()
		delete(f.dbs, in.Name)
		f.mu.Unlock()
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, map[string]any{"database": map[string]string{"DbId": db.DbID, "Hostname": f.hostname(db.Name), "Name": db.Name}})
}

// get handles GET /v1/organizations/{org}/databases/{db}.
func (f *Fake) get(w http.ResponseWriter, name string) {
	f.mu.Lock()
	db := f.dbs[name]
	var c database
	if db != nil {
		c = *db
	}
	f.mu.Unlock()
	if db == nil {
		writeError(w, http.StatusNotFound, "database "+name+" not found")
		return
	}
	writeJSON(w, map[string]any{"database": f.describe(c)})
}

// describe returns db as the API shows a database.
func (f *Fake) describe(c database) map[string]any {
	return map[string]any{
		"Name": c.Name, "DbId": c.DbID, "Hostname": f.hostname(c.Name), "group": c.Group,
		"regions": []string{c.Group}, "primaryRegion": c.Group, "type": "logical",
		"block_reads": c.BlockReads, "block_writes": c.BlockWrites,
	}
}

// list handles GET /v1/organizations/{org}/databases: every database, or
// those of the group named by ?group=, as {"databases": [...]}.
func (f *Fake) list(w http.ResponseWriter, r *http.Request) {
	group := r.URL.Query().Get("group")
	f.mu.Lock()
	dbs := make([]database, 0, len(f.dbs))
	for _, db := range f.dbs {
		if group == "" || db.Group == group {
			dbs = append(dbs, *db)
		}
	}
	f.mu.Unlock()
	out := make([]map[string]any, 0, len(dbs))
	for _, c := range dbs {
		out = append(out, f.describe(c))
	}
	writeJSON(w, map[string]any{"databases": out})
}

// remove handles DELETE /v1/organizations/{org}/databases/{db}.
func (f *Fake) remove(w http.ResponseWriter, name string) {
	f.mu.Lock()
	db := f.dbs[name]
	delete(f.dbs, name)
	f.mu.Unlock()
	if db == nil {
		writeError(w, http.StatusNotFound, "database "+name+" not found")
		return
	}
	if err := f.admin(context.Background(), http.MethodDelete, "/v1/namespaces/"+name, nil); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, map[string]string{"database": name})
}

// configure handles PATCH …/databases/{db}/configuration (block_reads and
// block_writes).
func (f *Fake) configure(w http.ResponseWriter, r *http.Request, name string) {
	var in struct {
		BlockReads  *bool `json:"block_reads"`
		BlockWrites *bool `json:"block_writes"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body")
		return
	}
	f.mu.Lock()
	db := f.dbs[name]
	if db != nil {
		if in.BlockReads != nil {
			db.BlockReads = *in.BlockReads
		}
		if in.BlockWrites != nil {
			db.BlockWrites = *in.BlockWrites
		}
	}
	var c database
	if db != nil {
		c = *db
	}
	f.mu.Unlock()
	if db == nil {
		writeError(w, http.StatusNotFound, "database "+name+" not found")
		return
	}
	cfg := map[string]any{"block_reads": c.BlockReads, "block_writes": c.BlockWrites}
	if err := f.admin(r.Context(), http.MethodPost, "/v1/namespaces/"+name+"/config", cfg); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, cfg)
}

// token handles POST …/databases/{db}/auth/tokens?expiration=&authorization=.
func (f *Fake) token(w http.ResponseWriter, r *http.Request, name string) {
	exp, err := parseExpiration(r.URL.Query().Get("expiration"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	access := "rw"
	switch r.URL.Query().Get("authorization") {
	case "", "full-access":
	case "read-only":
		access = "ro"
	default:
		writeError(w, http.StatusBadRequest, "invalid authorization")
		return
	}
	f.mu.Lock()
	exists := f.dbs[name] != nil
	now := f.clock()
	if exists {
		f.issued++
	}
	f.mu.Unlock()
	if !exists {
		writeError(w, http.StatusNotFound, "database "+name+" not found")
		return
	}
	claims := map[string]any{"a": access, "id": name, "iat": now.Unix()}
	if exp > 0 {
		claims["exp"] = now.Add(exp).Unix()
	}
	writeJSON(w, map[string]string{"jwt": f.sign(claims)})
}

// sign returns an EdDSA JWT of claims.
func (f *Fake) sign(claims map[string]any) string {
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"EdDSA","typ":"JWT"}`))
	body, _ := json.Marshal(claims)
	msg := head + "." + base64.RawURLEncoding.EncodeToString(body)
	return msg + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(f.key, []byte(msg)))
}

// hostname returns the data-plane host of database name: its namespace.
func (f *Fake) hostname(name string) string {
	return name + ".localhost:" + strconv.Itoa(f.SQLD.Port)
}

// adminGet reads one answer of sqld's admin API into out.
func (f *Fake) adminGet(ctx context.Context, path string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.SQLD.AdminURL+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sqld GET %s: %s: %s", path, resp.Status, msg)
	}
	return json.Unmarshal(msg, out)
}

// admin sends one request to sqld's admin API.
func (f *Fake) admin(ctx context.Context, method, path string, body any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, f.SQLD.AdminURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sqld %s %s: %s: %s", method, path, resp.Status, msg)
	}
	return nil
}

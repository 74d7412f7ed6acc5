package console

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"todos/app"
)

// TestReadOnlySelects runs queries that use scratch structures (DISTINCT,
// ORDER BY, GROUP BY, IN, CTEs, window functions...) and the allowed
// table-valued functions, and checks their results and that nothing
// changed.
func TestReadOnlySelects(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	tests := []struct {
		name, sql string
		cols      []string
		rows      string // rows joined by ";", cells by ","; "*" for any
	}{
		{"plain", "SELECT id, title FROM todos ORDER BY id", []string{"id", "title"}, "1,buy milk;2,call bob;3,write tests"},
		{"distinct", "SELECT DISTINCT completed FROM todos ORDER BY 1", []string{"completed"}, "0;1"},
		{"order by desc", "SELECT title FROM todos ORDER BY title DESC", []string{"title"}, "write tests;call bob;buy milk"},
		{"order by limit", "SELECT id FROM todos ORDER BY created_at DESC LIMIT 2 OFFSET 1", []string{"id"}, "2;1"},
		{"group by", "SELECT completed, count(*) AS n FROM todos GROUP BY completed HAVING n > 0 ORDER BY completed", []string{"completed", "n"}, "0,2;1,1"},
		{"in subquery", "SELECT id FROM todos WHERE id IN (SELECT id FROM todos WHERE completed = 0) ORDER BY id", []string{"id"}, "1;3"},
		{"in list", "SELECT id FROM todos WHERE title IN ('call bob', 'nope')", []string{"id"}, "2"},
		{"not exists", "SELECT id FROM todos t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.id) ORDER BY id", []string{"id"}, "2;3"},
		{"cte", "WITH open AS (SELECT * FROM todos WHERE completed = 0) SELECT count(*) FROM open", []string{"count(*)"}, "2"},
		{"cte materialized", "WITH o AS MATERIALIZED (SELECT id FROM todos) SELECT a.id FROM o a JOIN o b ON a.id = b.id ORDER BY 1", []string{"id"}, "1;2;3"},
		{"recursive cte", "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 4) SELECT group_concat(x) FROM n", []string{"group_concat(x)"}, "1,2,3,4"},
		{"window", "SELECT id, row_number() OVER (ORDER BY title DESC) AS r, sum(id) OVER (PARTITION BY completed) AS s FROM todos ORDER BY id", []string{"id", "r", "s"}, "1,3,4;2,2,2;3,1,4"},
		{"window lag", "SELECT id, lag(id) OVER (ORDER BY id) FROM todos ORDER BY id", []string{"id", "lag(id) OVER (ORDER BY id)"}, "1,NULL;2,1;3,2"},
		{"union", "SELECT title FROM todos WHERE id = 1 UNION SELECT email FROM users ORDER BY 1", []string{"title"}, "ann@example.com;buy milk"},
		{"except", "SELECT id FROM todos EXCEPT SELECT id FROM users", []string{"id"}, "2;3"},
		{"view", "SELECT * FROM open_todos ORDER BY id", []string{"id", "title"}, "1,buy milk;3,write tests"},
		{"join duplicate names", "SELECT * FROM users u JOIN todos t ON t.id = u.id", []string{"id", "email", "password_hash", "created_at", "id", "title", "completed", "created_at", "updated_at"}, "1,ann@example.com,x,1700000000000,1,buy milk,0,1,1"},
		{"left join", "SELECT t.id, u.email FROM todos t LEFT JOIN users u ON u.id = t.id ORDER BY t.id", []string{"id", "email"}, "1,ann@example.com;2,NULL;3,NULL"},
		{"values", "VALUES (1, 'a'), (2, 'b')", []string{"column1", "column2"}, "1,a;2,b"},
		{"json_each", "SELECT key, value FROM json_each('{\"a\":1,\"b\":[2]}')", []string{"key", "value"}, "a,1;b,[2]"},
		{"json_tree", "SELECT count(*) FROM json_tree('{\"a\":{\"b\":1}}')", []string{"count(*)"}, "3"},
		{"generate_series", "SELECT sum(value) FROM generate_series(1, 10)", []string{"sum(value)"}, "55"},
		{"pragma table", "SELECT name FROM pragma_table_info('users') ORDER BY cid", []string{"name"}, "id;email;password_hash;created_at"},
		{"schema", "SELECT name FROM sqlite_schema WHERE type = 'view'", []string{"name"}, "open_todos"},
		{"functions", "SELECT upper('a'), length('abc'), abs(-2), date('2024-01-02', '+1 day'), json_extract('{\"a\":5}', '$.a')", []string{"upper('a')", "length('abc')", "abs(-2)", "date('2024-01-02', '+1 day')", "json_extract('{\"a\":5}', '$.a')"}, "A,3,2,2024-01-03,5"},
		{"writefile never called", "SELECT EXISTS (SELECT writefile('/tmp/never', 'x'))", []string{"EXISTS (SELECT writefile('/tmp/never', 'x'))"}, "1"},
		{"trailing semicolon and comment", "SELECT 1 AS one; -- done", []string{"one"}, "1"},
		{"semicolon in string", "SELECT 'a;b' AS s", []string{"s"}, "a;b"},
		{"pragma table_info", "PRAGMA table_info(users)", []string{"cid", "name", "type", "notnull", "dflt_value", "pk"}, "0,id,INTEGER,0,NULL,1;1,email,TEXT,1,NULL,0;2,password_hash,TEXT,1,NULL,0;3,created_at,INTEGER,1,NULL,0"},
		{"pragma user_version", "PRAGMA user_version", []string{"user_version"}, "0"},
		{"pragma integrity_check", "PRAGMA integrity_check", []string{"integrity_check"}, "ok"},
		{"pragma foreign_key_check", "PRAGMA foreign_key_check", nil, ""},
		{"explain query plan", "EXPLAIN QUERY PLAN SELECT * FROM todos WHERE completed = 1", []string{"id", "parent", "notused", "detail"}, "*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			before := snapshot(t, filepath.Dir(path))
			res := mustRun(t, path, tc.sql, false)
			sameFiles(t, before, snapshot(t, filepath.Dir(path)))
			if tc.cols != nil && !slices.Equal(res.Columns, tc.cols) {
				t.Errorf("columns = %q, want %q", res.Columns, tc.cols)
			}
			if got := joinRows(res.Rows); tc.rows != "*" && got != tc.rows {
				t.Errorf("rows = %q, want %q", got, tc.rows)
			}
			if res.Truncated || res.RowsAffected != 0 {
				t.Errorf("truncated=%v affected=%d", res.Truncated, res.RowsAffected)
			}
		})
	}
}

// joinRows prints rows as "a,b;c,d".
func joinRows(rows [][]app.ConsoleValue) string {
	var lines []string
	for _, r := range rows {
		var cells []string
		for _, v := range r {
			cells = append(cells, v.Text)
		}
		lines = append(lines, strings.Join(cells, ","))
	}
	return strings.Join(lines, ";")
}

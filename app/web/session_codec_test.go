package web

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestSessionCodecRoundTrip(t *testing.T) {
	deadline := time.Unix(1_900_000_000, 123456789)
	for _, values := range []map[string]interface{}{
		{},
		{sessionTenantID: "t_0123456789abcdef", sessionUserID: int64(7), sessionRenewed: int64(1_800_000_000_000)},
		{sessionAdminID: int64(-1), "empty": "", "unicode": "naïve ✓"},
	} {
		b, err := sessionCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		gotDeadline, got, err := sessionCodec{}.Decode(b)
		if err != nil {
			t.Fatalf("Decode(%x): %v", b, err)
		}
		if !gotDeadline.Equal(deadline) || !reflect.DeepEqual(got, values) {
			t.Errorf("round trip of %v: %v %v", values, gotDeadline, got)
		}
	}
	if _, err := (sessionCodec{}).Encode(deadline, map[string]interface{}{"f": 1.5}); err == nil {
		t.Error("a float64 value was encoded; want an error")
	}
}

func TestSessionCodecRefusesDamagedData(t *testing.T) {
	good, err := sessionCodec{}.Encode(time.Now(), map[string]interface{}{sessionTenantID: "t_x", sessionUserID: int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":             {},
		"gob, the old form": []byte("\x1a\xff\x81\x03\x01\x01\x04Data"),
		"wrong version":     append([]byte{9}, good[1:]...),
		"trailing byte":     append(append([]byte{}, good...), 0),
		"too many values":   {1, 0, 0xff, 0x01},
		"length past end":   {1, 0, 1, 0x7f, 'k'},
		"unknown type":      {1, 0, 1, 1, 'k', 'x'},
	}
	for i := 1; i < len(good); i++ {
		cases[fmt.Sprintf("cut to %d bytes", i)] = good[:i]
	}
	for name, b := range cases {
		if _, _, err := (sessionCodec{}).Decode(b); err == nil {
			t.Errorf("%s (%x): decoded without an error", name, b)
		}
	}
}

func FuzzSessionCodecDecode(f *testing.F) {
	good, _ := sessionCodec{}.Encode(time.Now(), map[string]interface{}{sessionTenantID: "t_x", sessionUserID: int64(1)})
	f.Add(good)
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		deadline, values, err := sessionCodec{}.Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes encodes back to the same bytes.
		again, err := sessionCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatalf("decoded %x to %v but cannot encode it: %v", b, values, err)
		}
		if _, v2, err := (sessionCodec{}).Decode(again); err != nil || !reflect.DeepEqual(v2, values) {
			t.Fatalf("re-encoding %v changed it: %v, %v", values, v2, err)
		}
	})
}

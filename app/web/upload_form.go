package web

import (
	"bytes"
	"crypto/hmac"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"net/url"
	"os"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Bounds of an upload's form besides its file.
const (
	uploadFieldMax = 1 << 10 // bytes of one field's value
	uploadPartsMax = 16      // parts, the file included
)

// upload is a multipart form read as a stream by readUpload: its fields,
// and its file written to a temporary file.
type upload struct {
	Values url.Values
	// File holds the file part, positioned at its start, or is nil when
	// the form had no file, an empty one or one too large.
	File *os.File
	Size int64
	// TooLarge is set when the file was longer than allowed: nothing of it
	// was kept, and the fields after it were still read.
	TooLarge bool
}

// Close closes and removes the temporary file, if any.
func (u *upload) Close() error {
	if u == nil || u.File == nil {
		return nil
	}
	f := u.File
	u.File = nil
	return removeTemp(f)
}

// removeTemp closes and removes a temporary file.
func removeTemp(f *os.File) error {
	err := f.Close()
	if rerr := os.Remove(f.Name()); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	return err
}

// errUploadUnreadable answers an upload whose form could not be read: the
// client went away, or it is not a form a browser sends.
var errUploadUnreadable = app.Errorf(app.EINVALID, "The upload could not be read. Please try again.")

// readUpload reads the request's multipart form as it arrives, without
// holding it in memory: each field up to uploadFieldMax bytes, and the
// part fileField written to a new file in Config.TempDir, up to maxFile
// bytes. It also does the CSRF check the csrf middleware does for other
// forms, which would read the whole form into memory: the token comes
// from the X-CSRF-Token header or from the "_csrf" field, which must come
// before the file (browsers send fields in the form's order, and it is
// the form's first), so no byte of the file is stored before the token is
// checked. On error nothing is left on disk.
func (s *Server) readUpload(c *fiber.Ctx, fileField string, maxFile int64) (*upload, error) {
	checked := s.validCSRF(c, c.Get(csrfHeader))
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" {
		if !checked {
			return nil, errCSRF
		}
		return &upload{Values: url.Values{}}, nil
	}
	var body io.Reader = c.Context().RequestBodyStream()
	if body == nil { // not granted as a stream: already read, within the normal limit
		// As sent: c.Body would decode a Content-Encoding without a limit
		// (such bodies are refused before they are read, see isEncoded).
		body = bytes.NewReader(c.Request().Body())
	}
	mr := multipart.NewReader(io.LimitReader(body, int64(s.importBodyLimit())+1), boundary)
	u := &upload{Values: url.Values{}}
	fail := func(err error) (*upload, error) {
		if cerr := u.Close(); cerr != nil {
			s.logger.Warn("upload temp file", "error", cerr)
		}
		return nil, err
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil || parts == uploadPartsMax {
			return fail(errUploadUnreadable)
		}
		name := p.FormName()
		if name == fileField {
			if !checked {
				return fail(errCSRF)
			}
			if u.File != nil || u.TooLarge {
				return fail(errUploadUnreadable)
			}
			if err := s.receiveFile(u, p, maxFile); err != nil {
				return fail(err)
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(p, uploadFieldMax+1))
		if err != nil || len(v) > uploadFieldMax {
			return fail(errUploadUnreadable)
		}
		if name == csrfField && !checked {
			if checked = s.validCSRF(c, string(v)); !checked {
				return fail(errCSRF)
			}
			continue
		}
		u.Values.Add(name, string(v))
	}
	if !checked {
		return fail(errCSRF)
	}
	return u, nil
}

// receiveFile writes the file part p to a new temporary file, up to max
// bytes, and sets it as u's file. A longer file is dropped (u.TooLarge)
// and the rest of it read past, so that the fields after it are read too;
// an empty one leaves u.File nil.
func (s *Server) receiveFile(u *upload, p *multipart.Part, max int64) error {
	f, err := os.CreateTemp(s.cfg.TempDir, uploadFilePattern)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(p, max+1))
	if err == nil && n > max {
		u.TooLarge = true
		_, err = io.Copy(io.Discard, p)
		n = 0
	}
	if err == nil && n > 0 {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil || n == 0 {
		if rerr := removeTemp(f); rerr != nil {
			s.logger.Warn("upload temp file", "error", rerr)
		}
		if err != nil {
			return app.WrapError(app.EINVALID, errUploadUnreadable.Message, err)
		}
		return nil
	}
	u.File, u.Size = f, n
	return nil
}

// validCSRF reports whether sent is the CSRF token of the request's cookie
// and the request comes from the same origin: the check of the csrf
// middleware, for a token found elsewhere.
func (s *Server) validCSRF(c *fiber.Ctx, sent string) bool {
	cookie := c.Cookies(csrfCookie)
	return len(cookie) >= 32 && sent != "" && s.sameOrigin(c) &&
		hmac.Equal([]byte(sent), []byte(s.csrfToken(c, cookie)))
}

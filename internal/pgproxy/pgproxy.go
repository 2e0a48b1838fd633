// Package pgproxy is a TCP proxy in front of a PostgreSQL server, for
// tests: it counts the round trips its clients make, so that a test can
// hold an operation to the number of round trips it was cut to, and it can
// stall, as a network path that goes silent does (no reset, no close), so
// that a test can show an operation gives up instead of waiting forever,
// and resume, as a process that was stopped does: what was sent meanwhile
// is delivered then, in order, a close included. Only tests import it.
package pgproxy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// Proxy forwards connections to one PostgreSQL server.
type Proxy struct {
	ln      net.Listener
	dial    func() (net.Conn, error)
	trips   atomic.Int64
	mu      sync.Mutex
	resumed sync.Cond // signalled when stalled or closed changes
	stalled bool
	closed  bool
	conns   []net.Conn
	wg      sync.WaitGroup
}

// Start listens on a loopback port and forwards each connection to the
// server that dsn (a postgres:// URL, whose host may be a socket
// directory given as the host parameter) names. It returns the proxy and
// dsn rewritten to reach that server through it.
func Start(dsn string) (*Proxy, string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, "", fmt.Errorf("pgproxy: %w", err)
	}
	q := u.Query()
	host, port := u.Hostname(), u.Port()
	if h := q.Get("host"); h != "" {
		host = h
	}
	if p := q.Get("port"); p != "" {
		port = p
	}
	if port == "" {
		port = "5432"
	}
	if host == "" {
		host = "localhost"
	}
	network, addr := "tcp", net.JoinHostPort(host, port)
	if strings.HasPrefix(host, "/") {
		network, addr = "unix", host+"/.s.PGSQL."+port
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("pgproxy: %w", err)
	}
	p := &Proxy{ln: ln, dial: func() (net.Conn, error) { return net.Dial(network, addr) }}
	p.resumed.L = &p.mu
	q.Del("host")
	q.Del("port")
	u.RawQuery = q.Encode()
	u.Host = ln.Addr().String()
	p.wg.Add(1)
	go p.accept()
	return p, u.String(), nil
}

// RoundTrips returns how many times the clients have waited for the
// server: one for each Sync of the extended query protocol (a statement,
// or a pipeline of them, ends with one) and each simple query, since the
// proxy started.
func (p *Proxy) RoundTrips() int64 { return p.trips.Load() }

// Stall makes the proxy forward nothing more in either direction, nor
// close anything, while keeping every connection open; what arrives
// meanwhile is held until Resume.
func (p *Proxy) Stall() {
	p.mu.Lock()
	p.stalled = true
	p.mu.Unlock()
}

// Resume forwards again, first what was held since Stall.
func (p *Proxy) Resume() {
	p.mu.Lock()
	p.stalled = false
	p.resumed.Broadcast()
	p.mu.Unlock()
}

// Close stops listening and closes every connection.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	p.closed = true
	p.resumed.Broadcast()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := p.dial()
		if err != nil {
			_ = client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			p.pump(server, &counter{p: p, r: client})
			_ = server.Close()
		}()
		go func() {
			defer p.wg.Done()
			p.pump(client, server)
			_ = client.Close()
		}()
	}
}

// pump copies src to dst; while the proxy is stalled it holds what it
// has read, an end of src included, and reads no more.
func (p *Proxy) pump(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if !p.hold() {
			return
		}
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// hold waits while the proxy is stalled, and reports whether it is still
// open.
func (p *Proxy) hold() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.stalled && !p.closed {
		p.resumed.Wait()
	}
	return !p.closed
}

// counter reads a client's messages as they pass and counts its round
// trips. The first messages have no type byte: the startup message, and
// before it any SSL or GSS encryption request (answered with one byte).
type counter struct {
	p       *Proxy
	r       io.Reader
	started bool
	msg     []byte // the unparsed start of the next message
}

// The request codes that precede the startup message.
const (
	sslRequest    = 80877103
	gssencRequest = 80877104
)

func (c *counter) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.msg = append(c.msg, b[:n]...)
	for {
		head := 4
		if c.started {
			head = 5
		}
		if len(c.msg) < head {
			break
		}
		size := int(binary.BigEndian.Uint32(c.msg[head-4 : head]))
		if size < 4 {
			return n, errors.New("pgproxy: malformed message")
		}
		if len(c.msg) < head-4+size {
			break
		}
		if !c.started {
			code := uint32(0)
			if size >= 8 {
				code = binary.BigEndian.Uint32(c.msg[4:8])
			}
			c.started = code != sslRequest && code != gssencRequest
		} else if c.msg[0] == 'S' || c.msg[0] == 'Q' {
			c.p.trips.Add(1)
		}
		c.msg = c.msg[head-4+size:]
	}
	return n, err
}

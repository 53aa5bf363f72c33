// SIP over TLS in sip::TransportLayer, against an OpenSSL client in the test: the
// handshake with a certificate from files, messages both ways, reloading the files,
// client certificates, and peers that do not speak TLS.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "sip/self_signed.h"
#include "sip/transport.h"

namespace unicc::sip {
namespace {

using TlsMs = std::chrono::milliseconds;

const std::string kTlsOptions =
    "OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 10.0.0.9:5061;branch=z9hG4bKtls1;rport\r\n"
    "From: <sip:x@10.0.0.9>;tag=1\r\n"
    "To: <sip:1001@127.0.0.1>\r\n"
    "Call-ID: tls-1\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Max-Forwards: 70\r\n"
    "Content-Length: 0\r\n\r\n";

struct TlsDir {
  TlsDir() {
    path = std::filesystem::temp_directory_path() /
           ("unicc-tls-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path);
  }
  ~TlsDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::filesystem::path path;
  static inline int counter = 0;
};

// A transport with TLS only, its loop on a thread of its own so the test's client
// can block; what it receives is kept under a lock.
class TlsServer {
 public:
  explicit TlsServer(TransportSettings settings) : transport_(loop_, std::move(settings), metrics_) {
    transport_.start([this](const Message& message, const Endpoint& from) {
      std::lock_guard lock(mutex_);
      received_.push_back(std::string(message.call_id()));
      sources_.push_back(from);
    });
    thread_ = std::thread([this] { loop_.run(); });
  }
  ~TlsServer() {
    loop_.post([this] {
      transport_.stop();
      loop_.stop();
    });
    thread_.join();
  }

  // Waits up to two seconds for `count` messages.
  std::vector<Endpoint> wait_received(std::size_t count) {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (sources_.size() >= count) return sources_;
      }
      std::this_thread::sleep_for(TlsMs(10));
    }
    std::lock_guard lock(mutex_);
    return sources_;
  }

  // Runs `work` on the loop's thread and returns its result.
  template <typename Work>
  auto on_loop(Work work) {
    std::promise<decltype(work())> result;
    loop_.post([&] { result.set_value(work()); });
    return result.get_future().get();
  }

  TransportLayer& transport() { return transport_; }
  std::uint64_t counter(const std::string& name) { return metrics_.counter(name, "").value(); }

 private:
  core::EventLoop loop_;
  core::Metrics metrics_;
  TransportLayer transport_;
  std::mutex mutex_;
  std::vector<std::string> received_;
  std::vector<Endpoint> sources_;
  std::thread thread_;
};

TransportSettings tls_settings(const TlsDir& dir) {
  TransportSettings settings{"127.0.0.1", 0, false, false};
  settings.tls = true;
  settings.tls_port = 0;
  settings.tls_certificate = dir.file("server.pem");
  settings.tls_private_key = dir.file("server.key");
  return settings;
}

// A blocking OpenSSL client on 127.0.0.1 that trusts `ca_file` and checks that
// the server's certificate names 127.0.0.1.
class TlsClient {
 public:
  TlsClient(std::uint16_t port, const std::string& ca_file, const std::string& certificate = "",
            const std::string& key = "") {
    // A server that rejects us may close before our write: that must fail, not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
    context_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(context_, ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    if (!certificate.empty()) {
      SSL_CTX_use_certificate_file(context_, certificate.c_str(), SSL_FILETYPE_PEM);
      SSL_CTX_use_PrivateKey_file(context_, key.c_str(), SSL_FILETYPE_PEM);
    }
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{3, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0;
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(context_);
    close(fd_);
  }

  bool handshake() { return connected_ && SSL_connect(ssl_) == 1; }
  bool write(const std::string& text) { return SSL_write(ssl_, text.data(), static_cast<int>(text.size())) > 0; }
  // What the server sent next; "" when it closed the connection or sent nothing in 3 s.
  std::string read() {
    char buffer[4096];
    int n = SSL_read(ssl_, buffer, sizeof(buffer));
    ERR_clear_error();
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
  }
  std::string peer_common_name() {
    X509* peer = SSL_get1_peer_certificate(ssl_);
    if (!peer) return "";
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof(name));
    X509_free(peer);
    return name;
  }
  int fd() const { return fd_; }

 private:
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
};

// True when the server closes or resets `fd` (after any bytes, such as a TLS
// alert) before the socket's 3 s receive timeout.
bool closed_by_server(int fd) {
  char buffer[512];
  for (int reads = 0; reads < 16; ++reads) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
  return false;
}

TEST(TlsTransport, MessagesGoBothWaysOverTheConnectionAndCountAsTls) {
  TlsDir dir;
  write_self_signed_certificate(dir.file("server.pem"), dir.file("server.key"), "127.0.0.1");
  TlsServer server(tls_settings(dir));
  ASSERT_NE(server.transport().tls_port(), 0);
  TlsClient client(server.transport().tls_port(), dir.file("server.pem"));
  ASSERT_TRUE(client.handshake()) << "the certificate from the files did not verify for 127.0.0.1";
  ASSERT_TRUE(client.write(kTlsOptions));
  auto sources = server.wait_received(1);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].transport, Transport::kTls);
  EXPECT_NE(sources[0].connection, 0u);
  EXPECT_EQ(sources[0].to_string().rfind("TLS 127.0.0.1:", 0), 0u);
  EXPECT_TRUE(server.on_loop([&] {
    return server.transport().send(sources[0], "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");
  }));
  EXPECT_EQ(client.read().rfind("SIP/2.0 200 OK", 0), 0u);
  // RFC 5626 keep-alive over TLS.
  ASSERT_TRUE(client.write("\r\n\r\n"));
  EXPECT_EQ(client.read(), "\r\n");
}

TEST(TlsTransport, ChangedFilesAreLoadedForNewConnectionsAndBadOnesAreNot) {
  TlsDir dir;
  write_self_signed_certificate(dir.file("server.pem"), dir.file("server.key"), "127.0.0.1");
  std::filesystem::copy_file(dir.file("server.pem"), dir.file("first.pem"));
  auto settings = tls_settings(dir);
  settings.tls_file_check = TlsMs(50);
  TlsServer server(settings);
  TlsClient before(server.transport().tls_port(), dir.file("first.pem"));
  ASSERT_TRUE(before.handshake());
  // A new certificate (another key, another name in the subject) replaces the files.
  write_self_signed_certificate(dir.file("next.pem"), dir.file("next.key"), "127.0.0.1", 30);
  std::filesystem::rename(dir.file("next.key"), dir.file("server.key"));
  std::filesystem::rename(dir.file("next.pem"), dir.file("server.pem"));
  bool reloaded = false;
  for (int i = 0; i < 100 && !reloaded; ++i) {
    std::this_thread::sleep_for(TlsMs(20));
    TlsClient probe(server.transport().tls_port(), dir.file("server.pem"));
    reloaded = probe.handshake();
  }
  EXPECT_TRUE(reloaded) << "the changed files were not picked up";
  TlsClient old_trust(server.transport().tls_port(), dir.file("first.pem"));
  EXPECT_FALSE(old_trust.handshake()) << "still serving the old certificate";
  // The connection opened before goes on with its own session.
  ASSERT_TRUE(before.write(kTlsOptions));
  EXPECT_EQ(server.wait_received(1).size(), 1u);
  // A key that does not match is refused; the working pair stays in use.
  std::filesystem::copy_file(dir.file("server.pem"), dir.file("good.pem"));
  write_self_signed_certificate(dir.file("other.pem"), dir.file("other.key"), "127.0.0.1");
  std::filesystem::rename(dir.file("other.key"), dir.file("server.key"));
  EXPECT_FALSE(server.on_loop([&] { return server.transport().reload_tls(); }));
  EXPECT_GE(server.counter("unicc_sip_tls_reload_failures_total"), 1u);
  TlsClient after(server.transport().tls_port(), dir.file("good.pem"));
  EXPECT_TRUE(after.handshake());
}

TEST(TlsTransport, PeersThatDoNotSpeakTlsAreClosedAndCounted) {
  TlsDir dir;
  write_self_signed_certificate(dir.file("server.pem"), dir.file("server.key"), "127.0.0.1");
  auto settings = tls_settings(dir);
  settings.message_timeout = TlsMs(300);
  TlsServer server(settings);
  auto plain = [&] {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server.transport().tls_port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
    return fd;
  };
  int cleartext = plain();
  send(cleartext, kTlsOptions.data(), kTlsOptions.size(), MSG_NOSIGNAL);
  EXPECT_TRUE(closed_by_server(cleartext)) << "cleartext SIP on the TLS port was not closed";
  // A peer that never starts its handshake is held no longer than a message may take.
  int silent = plain();
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_server(silent));
  auto waited = std::chrono::duration_cast<TlsMs>(std::chrono::steady_clock::now() - started);
  EXPECT_GE(waited.count(), 200);
  EXPECT_LE(waited.count(), 2000);
  EXPECT_TRUE(server.wait_received(1).empty());
  EXPECT_GE(server.counter("unicc_sip_tls_handshake_failures_total"), 1u);
  close(cleartext);
  close(silent);
}

TEST(TlsTransport, WithClientVerificationOnlyCertifiedPeersGetThrough) {
  TlsDir dir;
  write_self_signed_certificate(dir.file("server.pem"), dir.file("server.key"), "127.0.0.1");
  write_self_signed_certificate(dir.file("trunk.pem"), dir.file("trunk.key"), "trunk.example.net");
  write_self_signed_certificate(dir.file("stranger.pem"), dir.file("stranger.key"), "trunk.example.net");
  auto settings = tls_settings(dir);
  settings.tls_verify_client = true;
  settings.tls_ca_file = dir.file("trunk.pem");
  TlsServer server(settings);
  {
    TlsClient anonymous(server.transport().tls_port(), dir.file("server.pem"));
    // With TLS 1.3 the client may finish before the server rejects it; either way
    // nothing it sends is taken.
    if (anonymous.handshake()) {
      anonymous.write(kTlsOptions);
      EXPECT_EQ(anonymous.read(), "");
    }
    TlsClient stranger(server.transport().tls_port(), dir.file("server.pem"), dir.file("stranger.pem"),
                       dir.file("stranger.key"));
    if (stranger.handshake()) {
      stranger.write(kTlsOptions);
      EXPECT_EQ(stranger.read(), "");
    }
  }
  EXPECT_TRUE(server.wait_received(1).empty());
  TlsClient trunk(server.transport().tls_port(), dir.file("server.pem"), dir.file("trunk.pem"), dir.file("trunk.key"));
  ASSERT_TRUE(trunk.handshake());
  ASSERT_TRUE(trunk.write(kTlsOptions));
  EXPECT_EQ(server.wait_received(1).size(), 1u);
}

TEST(TlsTransport, EveryClientGetsInButOnlyAVerifiedCertificateNamesIt) {
  TlsDir dir;
  write_self_signed_certificate(dir.file("server.pem"), dir.file("server.key"), "127.0.0.1");
  write_self_signed_certificate(dir.file("trunk.pem"), dir.file("trunk.key"), "trunk.example.net");
  write_self_signed_certificate(dir.file("stranger.pem"), dir.file("stranger.key"), "trunk.example.net");
  auto settings = tls_settings(dir);
  settings.tls_ca_file = dir.file("trunk.pem");  // asked for, not required
  TlsServer server(settings);
  TlsClient phone(server.transport().tls_port(), dir.file("server.pem"));
  TlsClient stranger(server.transport().tls_port(), dir.file("server.pem"), dir.file("stranger.pem"),
                     dir.file("stranger.key"));
  TlsClient trunk(server.transport().tls_port(), dir.file("server.pem"), dir.file("trunk.pem"), dir.file("trunk.key"));
  std::size_t sent = 0;
  for (TlsClient* client : {&phone, &stranger, &trunk}) {
    ASSERT_TRUE(client->handshake());
    ASSERT_TRUE(client->write(kTlsOptions));
    ASSERT_EQ(server.wait_received(++sent).size(), sent);
  }
  const auto sources = server.wait_received(3);
  EXPECT_EQ(sources[0].tls_names, nullptr);  // no certificate
  EXPECT_EQ(sources[1].tls_names, nullptr);  // one that does not chain to the CA file
  ASSERT_NE(sources[2].tls_names, nullptr);
  EXPECT_EQ(*sources[2].tls_names, std::vector<std::string>{"trunk.example.net"});
}

TEST(TlsTransport, StartFailsNamingAFileThatCannotBeUsed) {
  TlsDir dir;
  core::EventLoop loop;
  core::Metrics metrics;
  TransportLayer transport(loop, tls_settings(dir), metrics);
  try {
    transport.start([](const Message&, const Endpoint&) {});
    FAIL() << "started without a certificate";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(dir.file("server.pem")), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace unicc::sip

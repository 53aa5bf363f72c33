#include "http/client.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "unicc/version.h"

namespace unicc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Done = std::function<void(ClientResponse)>;

constexpr std::uint64_t kMaxResponseBody = 1024 * 1024;

struct Target {
  std::string host;         // without brackets for IPv6
  std::string port = "80";
  std::string host_header;  // the authority as written in the URL
  std::string path;         // path and query, at least "/"
};

bool has_control_or_space(const std::string& text) {
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool starts_with_ignoring_case(const std::string& text, const std::string& prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool valid_port(const std::string& port) {
  if (port.empty() || port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  int value = std::stoi(port);
  return value >= 1 && value <= 65535;
}

// The parts of an http:// URL, or (empty) the reason it cannot be fetched in `reason`.
std::optional<Target> parse_url(const std::string& url, std::string& reason) {
  auto bad = [&reason](const std::string& why) {
    reason = "bad url: " + why;
    return std::nullopt;
  };
  if (has_control_or_space(url)) return bad("spaces and control characters are not allowed");
  if (starts_with_ignoring_case(url, "https://")) return bad("https is not supported");
  if (!starts_with_ignoring_case(url, "http://")) return bad("it must start with http://");
  std::string rest = url.substr(7);
  rest = rest.substr(0, rest.find('#'));
  auto authority_end = rest.find_first_of("/?");
  Target target;
  target.host_header = rest.substr(0, authority_end);
  target.path = authority_end == std::string::npos ? "/" : rest.substr(authority_end);
  if (target.path[0] == '?') target.path.insert(0, "/");
  const std::string& authority = target.host_header;
  if (authority.find('@') != std::string::npos) return bad("user info is not supported");
  std::size_t host_end = authority.find(':');
  if (!authority.empty() && authority[0] == '[') {  // IPv6 literal
    std::size_t close = authority.find(']');
    if (close == std::string::npos) return bad("unclosed '[' in the host");
    target.host = authority.substr(1, close - 1);
    host_end = close + 1;
    if (host_end < authority.size() && authority[host_end] != ':') return bad("unexpected text after ']'");
  } else {
    target.host = authority.substr(0, host_end);
  }
  if (target.host.empty()) return bad("no host");
  if (host_end < authority.size()) {
    target.port = authority.substr(host_end + 1);
    if (!valid_port(target.port)) return bad("invalid port '" + target.port + "'");
  }
  return target;
}

std::string describe(const beast::error_code& error) {
  if (error == asio::error::connection_refused) return "connection refused";
  if (error == bhttp::error::body_limit || error == bhttp::error::header_limit) return "response too large";
  if (error == bhttp::error::end_of_stream || error == asio::error::eof) return "connection closed without a response";
  return error.message();
}

// "" when `address` may be connected to; the refusal otherwise.
std::string refusal(const core::AddressList& allowed, const std::string& host, const asio::ip::address& address) {
  std::string text = address.to_string();
  std::string range = core::restricted_range(text);
  if (range.empty() || allowed.contains_address(text) || allowed.contains_host(host)) return "";
  return "refused: " + text + " is " + range + " (not in the allow list)";
}

class Exchange;
using Registry = std::map<std::uint64_t, std::shared_ptr<Exchange>>;

// One request from resolve to response; lives in the registry until it finishes.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& ioc, Registry& registry, std::uint64_t id, const core::AddressList& allowed, Done done)
      : resolver_(ioc),
        stream_(ioc),
        deadline_(ioc),
        registry_(registry),
        id_(id),
        allowed_(allowed),
        done_(std::move(done)) {}

  void start(Target target, const ClientRequest& request) {
    target_ = std::move(target);
    request_.method(request.method == "POST" ? bhttp::verb::post : bhttp::verb::get);
    request_.target(target_.path);
    request_.version(11);
    request_.set(bhttp::field::host, target_.host_header);
    request_.set(bhttp::field::user_agent, std::string("unicc/") + kVersion);
    request_.set(bhttp::field::connection, "close");
    if (request.method == "POST") {
      request_.set(bhttp::field::content_type, request.content_type);
      request_.body() = request.body;
    }
    request_.prepare_payload();
    parser_.body_limit(kMaxResponseBody);
    deadline_.expires_after(request.timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error) self->finish({0, "", "timeout"});
    });
    resolver_.async_resolve(target_.host, target_.port,
                            beast::bind_front_handler(&Exchange::on_resolve, shared_from_this()));
  }

  // Ends the exchange with `error` unless it has already ended.
  void abort(const std::string& error) { finish({0, "", error}); }

 private:
  void on_resolve(beast::error_code error, const tcp::resolver::results_type& endpoints) {
    if (finished_) return;
    if (error) return finish({0, "", "cannot resolve '" + target_.host + "': " + error.message()});
    std::vector<tcp::endpoint> permitted;
    std::string refused;
    for (const auto& entry : endpoints) {
      std::string why = refusal(allowed_, target_.host, entry.endpoint().address());
      if (why.empty()) {
        permitted.push_back(entry.endpoint());
      } else if (refused.empty()) {
        refused = why;
      }
    }
    if (permitted.empty()) return finish({0, "", refused.empty() ? "no address for '" + target_.host + "'" : refused});
    stream_.async_connect(permitted, beast::bind_front_handler(&Exchange::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code error, const tcp::endpoint&) {
    if (finished_) return;
    if (error) return finish({0, "", describe(error)});
    bhttp::async_write(stream_, request_, beast::bind_front_handler(&Exchange::on_write, shared_from_this()));
  }

  void on_write(beast::error_code error, std::size_t) {
    if (finished_) return;
    if (error) return finish({0, "", describe(error)});
    bhttp::async_read_header(stream_, buffer_, parser_,
                             beast::bind_front_handler(&Exchange::on_header, shared_from_this()));
  }

  // Boost 1.74's parser ignores body_limit for a response's Content-Length (it still
  // enforces it for chunked and close-delimited bodies), so the length is checked here.
  void on_header(beast::error_code error, std::size_t) {
    if (finished_) return;
    if (error) return finish({0, "", describe(error)});
    if (parser_.content_length().value_or(0) > kMaxResponseBody) return finish({0, "", "response too large"});
    bhttp::async_read(stream_, buffer_, parser_, beast::bind_front_handler(&Exchange::on_read, shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t) {
    if (finished_) return;
    if (error) return finish({0, "", describe(error)});
    auto& message = parser_.get();
    finish({static_cast<int>(message.result_int()), std::move(message.body()), ""});
  }

  void finish(ClientResponse response) {
    if (finished_) return;
    finished_ = true;
    beast::error_code ignored;
    deadline_.cancel();
    resolver_.cancel();
    stream_.socket().close(ignored);
    auto keep_alive = shared_from_this();  // the registry may hold the last reference
    registry_.erase(id_);
    try {
      done_(std::move(response));
    } catch (const std::exception& error) {
      // The I/O thread serves every other request too; one faulty callback must not end it.
      spdlog::error("HTTP client: callback for {} threw: {}", target_.host_header, error.what());
    }
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  asio::steady_timer deadline_;
  Registry& registry_;
  std::uint64_t id_;
  const core::AddressList& allowed_;
  Done done_;
  Target target_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response_parser<bhttp::string_body> parser_;
  beast::flat_buffer buffer_;
  bool finished_ = false;
};

}  // namespace

struct Client::Impl {
  // Runs on the I/O thread.
  void begin(ClientRequest request, Done done) {
    if (request.method != "GET" && request.method != "POST") {
      return done({0, "", "unsupported method '" + request.method + "'"});
    }
    if (has_control_or_space(request.content_type)) return done({0, "", "bad content type"});
    std::string reason;
    auto target = parse_url(request.url, reason);
    if (!target) return done({0, "", reason});
    boost::system::error_code not_literal;
    auto literal = asio::ip::make_address(target->host, not_literal);
    if (!not_literal) {
      // Refused without a resolver or a socket, so nothing at all goes out.
      if (std::string why = refusal(allowed, target->host, literal); !why.empty()) return done({0, "", why});
    }
    std::uint64_t id = next_id++;
    auto exchange = std::make_shared<Exchange>(ioc, in_flight, id, allowed, std::move(done));
    in_flight[id] = exchange;
    exchange->start(std::move(*target), request);
  }

  explicit Impl(core::AddressList allowed) : allowed(std::move(allowed)) {}

  const core::AddressList allowed;
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(ioc);
  Registry in_flight;         // I/O thread only
  std::uint64_t next_id = 1;  // I/O thread only
  std::mutex mutex;
  bool stopped = false;       // under mutex
  std::once_flag stop_once;
  std::thread thread;
};

Client::Client(core::AddressList allowed) : impl_(std::make_unique<Impl>(std::move(allowed))) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

Client::~Client() { stop(); }

void Client::fetch(ClientRequest request, std::function<void(ClientResponse)> done) {
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->stopped) {
      asio::post(impl_->ioc, [impl = impl_.get(), request = std::move(request), done = std::move(done)]() mutable {
        impl->begin(std::move(request), std::move(done));
      });
      return;
    }
  }
  done({0, "", "stopped"});
}

void Client::stop() {
  std::call_once(impl_->stop_once, [impl = impl_.get()] {
    {
      std::lock_guard lock(impl->mutex);
      impl->stopped = true;
    }
    // Queued after every fetch accepted before `stopped` was set, so those have begun.
    asio::post(impl->ioc, [impl] {
      Registry live = impl->in_flight;
      for (auto& [id, exchange] : live) exchange->abort("stopped");
      impl->work.reset();
    });
    impl->thread.join();
  });
}

}  // namespace unicc::http

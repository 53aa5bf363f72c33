#pragma once
// core::Metrics — counters and gauges rendered in the Prometheus text format.
//
// Modules register a metric once (by name and label set) and keep the returned
// reference; updates are lock-free atomics. Gauges can also be functions read at
// render time (e.g. a queue's depth).
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace unicc::core {

class Counter {
 public:
  void inc(std::uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t by) { value_.fetch_add(by, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Metrics {
 public:
  // `labels` is the Prometheus label list without braces, e.g. `code="2xx"`.
  // The same name and labels always return the same object.
  Counter& counter(const std::string& name, const std::string& help, const std::string& labels = "");
  Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels = "");
  void gauge_fn(const std::string& name, const std::string& help, std::function<double()> read);

  // The exposition text for GET /metrics.
  std::string render() const;
  // Every series' value now, by its name as render() writes it (`name` or
  // `name{labels}`): the same figures, for a page.
  std::map<std::string, double> values() const;

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // by labels
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::function<double()> read;
  };
  Family& family(const std::string& name, const std::string& help, const char* type);
  // Calls `visit` for each series in name order, with its family. Holds the lock.
  void each_series(const std::function<void(const std::string& family_name, const Family& family,
                                            const std::string& series, double value)>& visit) const;

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace unicc::core

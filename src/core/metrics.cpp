#include "core/metrics.h"

#include <fmt/format.h>

#include <stdexcept>

namespace unicc::core {

Metrics::Family& Metrics::family(const std::string& name, const std::string& help, const char* type) {
  auto& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  } else if (f.type != type) {
    throw std::logic_error("metric " + name + " registered as " + f.type + " and " + type);
  }
  return f;
}

Counter& Metrics::counter(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "counter").counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Metrics::gauge(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "gauge").gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

void Metrics::gauge_fn(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, help, "gauge").read = std::move(read);
}

void Metrics::each_series(const std::function<void(const std::string& family_name, const Family& family,
                                                   const std::string& series, double value)>& visit) const {
  std::lock_guard lock(mutex_);
  auto series = [&](const std::string& name, const std::string& labels) {
    return labels.empty() ? name : name + "{" + labels + "}";
  };
  for (const auto& [name, f] : families_) {
    for (const auto& [labels, c] : f.counters) visit(name, f, series(name, labels), static_cast<double>(c->value()));
    for (const auto& [labels, g] : f.gauges) visit(name, f, series(name, labels), static_cast<double>(g->value()));
    if (f.read) visit(name, f, name, f.read());
  }
}

std::string Metrics::render() const {
  std::string out;
  const Family* described = nullptr;
  each_series([&](const std::string& name, const Family& f, const std::string& series, double value) {
    if (described != &f) out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, f.type);
    described = &f;
    out += fmt::format("{} {}\n", series, value);
  });
  return out;
}

std::map<std::string, double> Metrics::values() const {
  std::map<std::string, double> out;
  each_series([&out](const std::string&, const Family&, const std::string& series, double value) {
    out[series] = value;
  });
  return out;
}

}  // namespace unicc::core

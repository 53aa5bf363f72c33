#include "acd/router.h"

#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kUnknownQueue: return "unknown queue";
    case Status::kUnknownAgent: return "unknown agent";
    case Status::kUnknownCall: return "unknown call";
    case Status::kDuplicateCall: return "duplicate call";
    case Status::kInvalid: return "invalid argument";
    case Status::kWrongState: return "not allowed in the current state";
  }
  return "unknown status";
}

Router::Router(const core::Clock& clock, RouterOptions options)
    : impl_(std::make_unique<Impl>(clock, options)) {}
Router::~Router() = default;

std::vector<std::string> Router::add_queue(QueueConfig queue) {
  return impl_->add_queue(std::move(queue));
}
std::vector<std::string> Router::add_agent(AgentConfig agent) {
  return impl_->add_agent(std::move(agent));
}
std::vector<std::string> Router::update_queue(QueueConfig queue) {
  return impl_->update_queue(std::move(queue));
}
std::vector<std::string> Router::update_agent(AgentConfig agent) {
  return impl_->update_agent(std::move(agent));
}
Status Router::remove_queue(QueueId queue) { return impl_->remove_queue(queue); }
Status Router::remove_agent(AgentId agent) { return impl_->remove_agent(agent); }
Status Router::log_in(AgentId agent) { return impl_->log_in(agent); }
Status Router::log_out(AgentId agent) { return impl_->log_out(agent); }
Status Router::set_ready(AgentId agent) { return impl_->set_ready(agent); }
Status Router::set_not_ready(AgentId agent, std::string reason) {
  return impl_->set_not_ready(agent, std::move(reason));
}
Status Router::enqueue(const CallRequest& request) { return impl_->enqueue(request, {}); }
Status Router::enqueue_callback(const CallRequest& request, std::string number) {
  if (number.empty()) return Status::kInvalid;
  return impl_->enqueue(request, std::move(number));
}
Status Router::answered(CallId call, AgentId agent) { return impl_->answered(call, agent); }
Status Router::offer_failed(CallId call, AgentId agent, std::string reason) {
  return impl_->offer_failed(call, agent, std::move(reason));
}
Status Router::end_call(CallId call) { return impl_->end_call(call); }
Status Router::request_callback(CallId call, std::string number) {
  return impl_->request_callback(call, std::move(number));
}
Status Router::dial_out(CallId call, AgentId agent) { return impl_->dial_out(call, agent); }
Status Router::end_wrap_up(AgentId agent) { return impl_->end_wrap_up(agent); }

std::optional<std::chrono::steady_clock::time_point> Router::next_deadline() const {
  auto ms = impl_->next_deadline_ms();
  if (!ms) return std::nullopt;
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(*ms));
}
void Router::on_timer() { impl_->on_timer(); }
void Router::take_decisions(std::vector<Decision>& out) { impl_->take_decisions(out); }

std::optional<AgentStatus> Router::agent_status(AgentId agent) const {
  return impl_->agent_status(agent);
}
std::optional<WaitStatus> Router::wait_status(CallId call) const {
  return impl_->wait_status(call);
}
std::optional<QueueStatus> Router::queue_status(QueueId queue) const {
  return impl_->queue_status(queue);
}
std::vector<QueueId> Router::queues_served(AgentId agent) const {
  return impl_->queues_served(agent);
}

std::int64_t Router::Impl::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(clock_.steady_now().time_since_epoch()).count();
}

std::uint32_t Router::Impl::find_agent(AgentId id) const {
  auto it = agent_index_.find(id);
  return it == agent_index_.end() ? kNoSlot : it->second;
}
std::uint32_t Router::Impl::find_queue(QueueId id) const {
  auto it = queue_index_.find(id);
  return it == queue_index_.end() ? kNoSlot : it->second;
}
std::uint32_t Router::Impl::find_call(CallId id) const {
  auto it = call_index_.find(id);
  return it == call_index_.end() ? kNoSlot : it->second;
}

void Router::Impl::take_decisions(std::vector<Decision>& out) {
  out.clear();
  out.swap(decisions_);
}

std::optional<AgentStatus> Router::Impl::agent_status(AgentId id) const {
  std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return std::nullopt;
  const AgentSlot& agent = agents_[a];
  AgentStatus status{agent.state, agent.reason, agent.since_wall_ms, std::nullopt};
  if (agent.call != kNoSlot) status.call = calls_[agent.call].id;
  return status;
}

std::optional<WaitStatus> Router::Impl::wait_status(CallId id) const {
  std::uint32_t c = find_call(id);
  if (c == kNoSlot) return std::nullopt;
  const CallSlot& call = calls_[c];
  if (call.home == kNoSlot) return std::nullopt;  // an agent's outbound call waits nowhere
  const QueueSlot& queue = queues_[call.home];
  WaitStatus status{queue.config.id, 0, std::nullopt};
  if (call.phase != CallPhase::kWaiting) return status;
  status.position = queue.waiting.rank(call.key(c)) + 1;
  status.wait = estimate_wait(status.position, queue.handle_times.average(), queue.working);
  return status;
}

std::optional<QueueStatus> Router::Impl::queue_status(QueueId id) const {
  std::uint32_t q = find_queue(id);
  if (q == kNoSlot) return std::nullopt;
  const QueueSlot& queue = queues_[q];
  return QueueStatus{queue.waiting.size(), queue.logged_in, queue.working, queue.ready.size(),
                     queue.handle_times.average()};
}

std::vector<QueueId> Router::Impl::queues_served(AgentId id) const {
  std::vector<QueueId> served;
  const std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return served;
  for (const Membership& m : agents_[a].queues) served.push_back(queues_[m.queue].config.id);
  std::sort(served.begin(), served.end());
  return served;
}

}  // namespace unicc::acd

#pragma once
// Overloaded — a set of lambdas as one visitor for std::visit over node bodies,
// actions and events.
namespace unicc::ivr {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Clang 14 (the fuzz build) does not deduce aggregate template arguments by itself.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace unicc::ivr

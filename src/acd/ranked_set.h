#pragma once
// Internal to the acd module. An ordered set that also answers "how many keys are
// before this one" in O(log n): a waiting call's position without walking the queue.
#include <cstddef>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <functional>

namespace unicc::acd {

template <typename Key>
class RankedSet {
 public:
  bool empty() const { return tree_.empty(); }
  std::size_t size() const { return tree_.size(); }
  void insert(const Key& key) { tree_.insert(key); }
  void erase(const Key& key) { tree_.erase(key); }
  const Key& first() const { return *tree_.begin(); }
  // Keys strictly before `key`.
  std::size_t rank(const Key& key) const { return tree_.order_of_key(key); }
  auto begin() const { return tree_.begin(); }
  auto end() const { return tree_.end(); }

 private:
  __gnu_pbds::tree<Key, __gnu_pbds::null_type, std::less<Key>, __gnu_pbds::rb_tree_tag,
                   __gnu_pbds::tree_order_statistics_node_update>
      tree_;
};

}  // namespace unicc::acd

// Reading a list in order of a bound without sorting all of it.
#ifndef SERVICES_SCHEDULING_SOLVER_BY_LOWER_BOUND_H_
#define SERVICES_SCHEDULING_SOLVER_BY_LOWER_BOUND_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace homecare::scheduling::solver {

// `list` (pointers to anything with a `lower` bound) by increasing `lower`, sorted only as far
// as it is read when `lazy`: a double-up's positions on a provider's day number thousands, and
// the search reads a few dozen of them before its bound stops it. Each extension partitions the
// rest first, so the whole reads in ascending order of the bounds the positions had when it was
// made, as a full sort's would.
template <typename Position>
class ByLowerBound {
 public:
  ByLowerBound(std::vector<Position*>& list, bool lazy) : list_(list) {
    if (!lazy) Extend(list_.size());
  }
  size_t size() const { return list_.size(); }
  Position* operator[](size_t i) {
    if (i >= sorted_) Extend(std::max(i + 1, 2 * sorted_ + 32));
    return list_[i];
  }

 private:
  void Extend(size_t upto) {
    upto = std::min(upto, list_.size());
    auto by_bound = [](const Position* a, const Position* b) { return a->lower < b->lower; };
    if (upto < list_.size()) {
      std::nth_element(list_.begin() + sorted_, list_.begin() + upto, list_.end(), by_bound);
    }
    std::sort(list_.begin() + sorted_, list_.begin() + upto, by_bound);
    sorted_ = upto;
  }

  std::vector<Position*>& list_;
  size_t sorted_ = 0;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_BY_LOWER_BOUND_H_

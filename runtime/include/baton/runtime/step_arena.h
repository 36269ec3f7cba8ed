// A protobuf arena for the message one processing step parses (issue 18
// point 4): its fields are allocated from one block the arena keeps, and are
// freed together when the next step begins, with no allocation and no free
// per field. Nothing of a step may outlive it: Effects hold serialized
// copies. A message moved from the arena to the heap is copied, so a step
// keeps such messages where they are and reads them.
#pragma once

#include <google/protobuf/arena.h>
#include <google/protobuf/message.h>

#include <cstddef>
#include <memory>

namespace baton::runtime {

class StepArena {
 public:
  explicit StepArena(size_t block_bytes = 64 * 1024)
      : block_(new char[block_bytes]), arena_(block_.get(), block_bytes) {}
  StepArena(const StepArena&) = delete;
  StepArena& operator=(const StepArena&) = delete;

  // The step's message, empty; frees what the previous step parsed.
  template <typename M>
  M& fresh() {
    arena_.Reset();
    return *google::protobuf::Arena::CreateMessage<M>(&arena_);
  }
  // The same for a type known at run time, by its prototype.
  google::protobuf::Message& fresh(const google::protobuf::Message& prototype) {
    arena_.Reset();
    return *prototype.New(&arena_);
  }

 private:
  std::unique_ptr<char[]> block_;  // outlives arena_ (declared first)
  google::protobuf::Arena arena_;
};

}  // namespace baton::runtime

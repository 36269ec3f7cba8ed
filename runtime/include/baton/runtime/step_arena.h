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

// The ThreadSanitizer build keeps the step's message on the heap: Debian's
// libprotobuf, not built with -fsanitize=thread, crashes there resetting an
// arena that holds a map field (LeadCaptured.fields), in
// MapFieldBase::Destruct. The dev, release and ASan builds use the arena.
#if defined(__SANITIZE_THREAD__)
#define BATON_STEP_ARENA_ON_HEAP 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BATON_STEP_ARENA_ON_HEAP 1
#endif
#endif

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
#ifdef BATON_STEP_ARENA_ON_HEAP
    heap_ = std::make_unique<M>();
    return static_cast<M&>(*heap_);
#else
    arena_.Reset();
    return *google::protobuf::Arena::CreateMessage<M>(&arena_);
#endif
  }
  // The same for a type known at run time, by its prototype.
  google::protobuf::Message& fresh(const google::protobuf::Message& prototype) {
#ifdef BATON_STEP_ARENA_ON_HEAP
    heap_.reset(prototype.New());
    return *heap_;
#else
    arena_.Reset();
    return *prototype.New(&arena_);
#endif
  }

 private:
  std::unique_ptr<char[]> block_;  // outlives arena_ (declared first)
  google::protobuf::Arena arena_;
  std::unique_ptr<google::protobuf::Message> heap_;  // the TSan build's step message
};

}  // namespace baton::runtime

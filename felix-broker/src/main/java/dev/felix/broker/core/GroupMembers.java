package dev.felix.broker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The members of one {@link ConsumerGroup}: who is joined, their ids, and whose turn it is for the
 * next lease (round robin, so no member starves while others have allowance).
 *
 * <p>Bounded by the broker's subscription limit (every member is a subscription). Threading: none;
 * used under the group's lock only.
 */
final class GroupMembers {
  private final ArrayList<GroupMember> members = new ArrayList<>();
  private int nextMemberId = 1;
  private int roundRobin;

  /** A new member id (ids are never reused within the group). */
  int nextId() {
    return nextMemberId++;
  }

  void add(GroupMember member) {
    members.add(member);
  }

  /** False when the member had left already. */
  boolean remove(GroupMember member) {
    return members.remove(member);
  }

  int size() {
    return members.size();
  }

  /** The next member (round robin) that may take a lease on {@code shard}, or null. */
  GroupMember pick(int shard) {
    int count = members.size();
    for (int i = 0; i < count; i++) {
      GroupMember member = members.get((roundRobin + i) % count);
      if (member.takes(shard)) {
        roundRobin = (roundRobin + i + 1) % count;
        return member;
      }
    }
    return null;
  }

  /** The member with {@code memberId}, or null when it left. */
  GroupMember byId(int memberId) {
    for (GroupMember member : members) {
      if (member.memberId == memberId) {
        return member;
      }
    }
    return null;
  }

  /** Removes and returns every member (the group closes). */
  List<GroupMember> clear() {
    List<GroupMember> all = new ArrayList<>(members);
    members.clear();
    return all;
  }
}

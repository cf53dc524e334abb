package dev.felix.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error numbers are part of the wire specification: pinned here like a golden vector. */
class ErrorCodeTest {
  @Test
  void everyCodeKeepsItsWireNumber() {
    Map<ErrorCode, Integer> numbers = new LinkedHashMap<>();
    numbers.put(ErrorCode.MALFORMED_FRAME, 100);
    numbers.put(ErrorCode.UNSUPPORTED_VERSION, 101);
    numbers.put(ErrorCode.UNKNOWN_MESSAGE_TYPE, 102);
    numbers.put(ErrorCode.UNSUPPORTED_FEATURE, 103);
    numbers.put(ErrorCode.FRAME_TOO_LARGE, 104);
    numbers.put(ErrorCode.INVALID_ARGUMENT, 105);
    numbers.put(ErrorCode.UNEXPECTED_MESSAGE, 106);
    numbers.put(ErrorCode.UNAUTHENTICATED, 200);
    numbers.put(ErrorCode.PERMISSION_DENIED, 201);
    numbers.put(ErrorCode.NOT_FOUND, 300);
    numbers.put(ErrorCode.ALREADY_EXISTS, 301);
    numbers.put(ErrorCode.CONFLICT, 302);
    numbers.put(ErrorCode.OFFSET_OUT_OF_RANGE, 303);
    numbers.put(ErrorCode.LIMIT_EXCEEDED, 400);
    numbers.put(ErrorCode.BACKPRESSURE, 401);
    numbers.put(ErrorCode.MESSAGE_TOO_LARGE, 402);
    numbers.put(ErrorCode.SLOW_CONSUMER, 403);
    numbers.put(ErrorCode.STORAGE_ERROR, 500);
    numbers.put(ErrorCode.STORAGE_FULL, 501);
    numbers.put(ErrorCode.UNAVAILABLE, 600);
    numbers.put(ErrorCode.TIMEOUT, 601);
    numbers.put(ErrorCode.INTERNAL, 602);

    assertThat(numbers.keySet())
        .as("a new code needs a pinned number")
        .containsExactly(ErrorCode.values());
    numbers.forEach(
        (code, number) -> {
          assertThat(code.code()).as(code.name()).isEqualTo(number);
          assertThat(ErrorCode.fromCode(number)).isEqualTo(code);
          assertThat(ErrorCode.isDefined(number)).isTrue();
        });
  }

  @Test
  void unknownNumbersReadAsInternal() {
    for (int number : new int[] {-1, 0, 99, 107, 199, 699, 700, 999, 65_535, Integer.MAX_VALUE}) {
      assertThat(ErrorCode.fromCode(number)).as("%d", number).isEqualTo(ErrorCode.INTERNAL);
      assertThat(ErrorCode.isDefined(number)).as("%d", number).isFalse();
    }
  }

  @Test
  void eachCategoryMapsToItsExceptionClass() {
    assertThat(FelixException.of(ErrorCode.MALFORMED_FRAME, "m"))
        .isInstanceOf(ProtocolException.class);
    assertThat(FelixException.of(ErrorCode.UNAUTHENTICATED, "m")).isInstanceOf(AuthException.class);
    assertThat(FelixException.of(ErrorCode.NOT_FOUND, "m")).isInstanceOf(NotFoundException.class);
    assertThat(FelixException.of(ErrorCode.OFFSET_OUT_OF_RANGE, "m"))
        .isInstanceOf(NotFoundException.class);
    assertThat(FelixException.of(ErrorCode.CONFLICT, "m")).isInstanceOf(ConflictException.class);
    assertThat(FelixException.of(ErrorCode.BACKPRESSURE, "m")).isInstanceOf(LimitException.class);
    assertThat(FelixException.of(ErrorCode.STORAGE_FULL, "m")).isInstanceOf(StorageException.class);
    assertThat(FelixException.of(ErrorCode.TIMEOUT, "m")).isInstanceOf(UnavailableException.class);
    FelixException internal = FelixException.of(ErrorCode.INTERNAL, "m");
    assertThat(internal.getClass()).isEqualTo(FelixException.class);
    assertThat(internal.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(internal).hasMessage("m");
  }
}

package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerGaugesTest {
  @Test
  void readsRssCpuHeapMaxAndSumsTheHeapPoolsOfAPrometheusExposition() {
    String exposition =
        String.join(
            "\n",
            "# HELP process_resident_memory_bytes Resident memory size in bytes.",
            "# TYPE process_resident_memory_bytes gauge",
            "process_resident_memory_bytes 5.36870912E8",
            "process_cpu_seconds_total 12.5",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.048576E7",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.097152E7",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.9E7",
            "jvm_memory_max_bytes{area=\"heap\"} 1.287651328E9",
            "jvm_memory_max_bytes{area=\"nonheap\"} -1.0",
            "process_resident_memory_bytes_other 1");

    BrokerGauges.Sample sample = BrokerGauges.parse(exposition);

    assertThat(sample.rssBytes()).isEqualTo(536_870_912L);
    assertThat(sample.heapUsedBytes()).isEqualTo(31_457_280L);
    assertThat(sample.heapMaxBytes()).isEqualTo(1_287_651_328L);
    assertThat(sample.cpuSeconds()).isEqualTo(12.5);
  }

  @Test
  void readsOneUnlabelledSeriesByItsWholeName() {
    String exposition =
        String.join(
            "\n",
            "felix_broker_stream_memory_bytes_other 1.0",
            "felix_broker_stream_memory_bytes 6.43825581E8",
            "felix_broker_stream_memory_max_bytes 6.43825664E8");

    assertThat(BrokerGauges.valueOf(exposition, "felix_broker_stream_memory_bytes"))
        .isEqualTo(643_825_581.0);
    assertThat(BrokerGauges.valueOf(exposition, "felix_cache_budget_max_bytes")).isNaN();
  }

  @Test
  void missingSeriesAreMinusOne() {
    BrokerGauges.Sample sample = BrokerGauges.parse("up 1\n");
    assertThat(sample.rssBytes()).isEqualTo(-1);
    assertThat(sample.heapUsedBytes()).isEqualTo(-1);
    assertThat(sample.heapMaxBytes()).isEqualTo(-1);
    assertThat(sample.cpuSeconds()).isEqualTo(-1);
  }
}

// hwsim_ovp_pair_decoder_tb.sv: streams the code pairs HwSim generated (ovp_vectors.txt: a count, then per
// cycle "valid code0 code1 flint") into hwsim_ovp_pair_decoder, one line per clock cycle, and logs every output
// as "cycle value0 value1 error" (ovp_results.txt). Inputs of line i are driven in cycle i and sampled at
// the next edge; HwSim checks each output appears exactly OVP_PAIR_DECODER_LATENCY_CYCLES cycles later.
module hwsim_ovp_pair_decoder_tb;
  import hwsim_params_pkg::*;
  localparam int CB = $clog2(OVP4_NORMAL_DECODE_COUNT);

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  logic in_valid = 1'b0;
  logic flint_normals = 1'b0;
  logic [CB-1:0] code0 = '0;
  logic [CB-1:0] code1 = '0;
  logic out_valid;
  logic error;
  logic signed [OVP4_ABFLOAT_DECODE_BITS-1:0] value0;
  logic signed [OVP4_ABFLOAT_DECODE_BITS-1:0] value1;

  hwsim_ovp_pair_decoder dut (.clk(clk), .rst_n(rst_n), .in_valid(in_valid), .flint_normals(flint_normals), .code0(code0), .code1(code1),
                              .out_valid(out_valid), .value0(value0), .value1(value1), .error(error));

  always #5 clk = ~clk;

  integer fin, fout, count, cycle, valid, c0, c1, flint, scanned;

  initial begin
    fin = $fopen("ovp_vectors.txt", "r");
    fout = $fopen("ovp_results.txt", "w");
    scanned = $fscanf(fin, "%d", count);
    repeat (2) @(negedge clk);
    rst_n = 1'b1;
    for (cycle = 0; cycle < count + 4; cycle = cycle + 1) begin
      @(negedge clk);
      if (out_valid) $fwrite(fout, "%0d %0d %0d %0d\n", cycle, value0, value1, error);
      if (cycle < count) begin
        scanned = $fscanf(fin, "%d %d %d %d", valid, c0, c1, flint);
        in_valid = valid[0];
        flint_normals = flint[0];
        code0 = c0[CB-1:0];
        code1 = c1[CB-1:0];
      end else in_valid = 1'b0;
    end
    $fclose(fout);
    $finish;
  end
endmodule

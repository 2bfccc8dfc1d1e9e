// hwsim_pe_tb.sv: drives hwsim_pe with the vectors HwSim generated (pe_vectors.txt: a count, then per
// vector the weight type id, PE_DOT_PRODUCT_WIDTH activations and as many weights, all decimal) and
// writes, per vector, the result, the clock edges from the edge that accepted start to the edge that
// raised done, and the overflow flag (pe_results.txt). HwSim compares them with its PE model.
module hwsim_pe_tb;
  import hwsim_params_pkg::*;
  localparam int DP = PE_DOT_PRODUCT_WIDTH;
  localparam int AB = PE_ACTIVATION_BITS;
  localparam int WB = PE_WEIGHT_VALUE_BITS;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  logic start = 1'b0;
  logic [7:0] wtype = '0;
  logic [DP*AB-1:0] act = '0;
  logic [DP*WB-1:0] weight = '0;
  logic busy;
  logic done;
  logic overflow;
  logic signed [PE_ACCUMULATOR_BITS-1:0] result;

  hwsim_pe dut (.clk(clk), .rst_n(rst_n), .start(start), .wtype(wtype), .act(act), .weight(weight),
                .busy(busy), .done(done), .result(result), .overflow(overflow));

  always #5 clk = ~clk;

  integer fin, fout, count, value, edges, n, d, scanned;

  initial begin
    fin = $fopen("pe_vectors.txt", "r");
    fout = $fopen("pe_results.txt", "w");
    scanned = $fscanf(fin, "%d", count);
    repeat (2) @(negedge clk);
    rst_n = 1'b1;
    for (n = 0; n < count; n = n + 1) begin
      @(negedge clk);
      scanned = $fscanf(fin, "%d", value);
      wtype = value[7:0];
      for (d = 0; d < DP; d = d + 1) begin
        scanned = $fscanf(fin, "%d", value);
        act[d*AB +: AB] = value[AB-1:0];
      end
      for (d = 0; d < DP; d = d + 1) begin
        scanned = $fscanf(fin, "%d", value);
        weight[d*WB +: WB] = value[WB-1:0];
      end
      start = 1'b1;
      @(posedge clk);  // the PE is idle: this edge accepts start
      #1 start = 1'b0;
      edges = 0;
      while (!done && edges < 1000) begin
        @(posedge clk);
        #1 edges = edges + 1;
      end
      $fwrite(fout, "%0d %0d %0d\n", result, edges, overflow);
    end
    $fclose(fout);
    $finish;
  end
endmodule

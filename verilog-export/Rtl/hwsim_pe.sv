// hwsim_pe.sv: HwSim reference processing element. One dot-product step of PE_DOT_PRODUCT_WIDTH
// activation x weight pairs, computed the way the PE kind in hwsim_params_pkg says:
//   bit-parallel: every product in one cycle;
//   bit-serial:   PE_BITS_PER_CYCLE two's-complement weight bits per cycle, least significant digit first; a
//                 lane's step ends with the cycle that takes its remainder as one signed digit;
//   term-serial:  PE_TERMS_PER_CYCLE signed power-of-two terms per weight per cycle, peeled off the
//                 magnitude in non-adjacent form (skip trailing zeros; +1 when the rest is 1 mod 4, -1 when 3);
//                 a lane's step ends when no nonzero term remains.
// A step ends when the datapath has consumed every lane's weight (at least one cycle): start is sampled on a
// clock edge and done pulses, with result valid, on the edge after the cycle that consumed the last operand.
// PE_CYCLES_PER_STEP[wtype] is the design's fixed schedule (the longest step of any value of the datatype);
// overflow flags a step that needed more cycles than that (a weight outside the datatype).
// Parameterized only through hwsim_params_pkg.
module hwsim_pe
  import hwsim_params_pkg::*;
(
  input  logic clk,
  input  logic rst_n,
  input  logic start,
  input  logic [7:0] wtype,
  input  logic [PE_DOT_PRODUCT_WIDTH*PE_ACTIVATION_BITS-1:0] act,
  input  logic [PE_DOT_PRODUCT_WIDTH*PE_WEIGHT_VALUE_BITS-1:0] weight,
  output logic busy,
  output logic done,
  output logic signed [PE_ACCUMULATOR_BITS-1:0] result,
  output logic overflow
);
  localparam int DP = PE_DOT_PRODUCT_WIDTH;
  localparam int AB = PE_ACTIVATION_BITS;
  localparam int WB = PE_WEIGHT_VALUE_BITS;
  localparam int ACC = PE_ACCUMULATOR_BITS;
  localparam int RB = WB + 1;  // a non-adjacent-form remainder can carry one bit past the magnitude
  localparam int SB = 8;       // shift amounts

  logic [7:0] schedule_q;  // PE_CYCLES_PER_STEP of the step's weight type
  logic [7:0] count_q;     // cycles of the step before the current one
  logic load;
  logic last;
  logic consumed;          // the datapath has no operand left after the current cycle
  logic signed [ACC-1:0] acc_next;

  function automatic logic [7:0] step_cycles(input logic [7:0] type_id);
    logic [7:0] cycles;
    cycles = '0;
    for (int t = 0; t < NUM_WTYPES; t++) if (type_id == 8'(t)) cycles = PE_CYCLES_PER_STEP[t*8 +: 8];
    return cycles;
  endfunction

  assign load = start && !busy;
  assign last = busy && consumed;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      busy <= 1'b0;
      done <= 1'b0;
      count_q <= '0;
      schedule_q <= '0;
      result <= '0;
      overflow <= 1'b0;
    end else begin
      done <= last;
      if (load) begin
        busy <= 1'b1;
        count_q <= '0;
        schedule_q <= step_cycles(wtype);
      end else if (busy) begin
        count_q <= count_q + 8'd1;
        if (last) begin
          busy <= 1'b0;
          result <= acc_next;
          overflow <= count_q >= schedule_q;  // this step took count_q + 1 cycles
        end
      end
    end
  end

  // Operands sign-extended to the accumulator width: every product and sum wraps modulo 2^ACC.
  function automatic logic signed [ACC-1:0] activation(input int lane);
    return ACC'($signed(act[lane*AB +: AB]));
  endfunction

  function automatic logic signed [RB-1:0] weight_at(input int lane);
    return RB'($signed(weight[lane*WB +: WB]));
  endfunction

  logic signed [ACC-1:0] acc_q;
  logic [DP*ACC-1:0] a_q;

  generate
    if (PE_KIND == PE_KIND_BIT_PARALLEL) begin : g_bit_parallel
      logic [DP*RB-1:0] w_q;
      always_ff @(posedge clk) begin
        if (load) begin
          acc_q <= '0;
          for (int d = 0; d < DP; d++) begin
            a_q[d*ACC +: ACC] <= activation(d);
            w_q[d*RB +: RB] <= weight_at(d);
          end
        end else if (busy) acc_q <= acc_next;
      end
      always_comb begin
        acc_next = acc_q;
        for (int d = 0; d < DP; d++)
          acc_next = acc_next + $signed(a_q[d*ACC +: ACC]) * ACC'($signed(w_q[d*RB +: RB]));
      end
      assign consumed = 1'b1;
    end else if (PE_KIND == PE_KIND_BIT_SERIAL) begin : g_bit_serial
      localparam int BPC = PE_BITS_PER_CYCLE;
      logic [DP*RB-1:0] w_q;  // remaining weight digits, two's complement
      logic [DP*RB-1:0] w_next;
      logic [DP-1:0] live_q;  // lanes whose signed top digit is still to come
      logic [DP-1:0] live_next;
      logic [SB-1:0] shift_q;
      always_ff @(posedge clk) begin
        if (load) begin
          acc_q <= '0;
          shift_q <= '0;
          live_q <= '1;
          for (int d = 0; d < DP; d++) begin
            a_q[d*ACC +: ACC] <= activation(d);
            w_q[d*RB +: RB] <= weight_at(d);
          end
        end else if (busy) begin
          acc_q <= acc_next;
          w_q <= w_next;
          live_q <= live_next;
          shift_q <= shift_q + SB'(BPC);
        end
      end
      always_comb begin
        logic signed [ACC-1:0] digit;
        logic signed [RB-1:0] rest;
        logic signed [RB-1:0] above;
        acc_next = acc_q;
        w_next = w_q;
        live_next = live_q;
        for (int d = 0; d < DP; d++) begin
          rest = $signed(w_q[d*RB +: RB]);
          above = rest >>> (BPC - 1);
          digit = '0;
          if (live_q[d]) begin
            // A remainder that fits one signed BPC-bit digit is the lane's last digit; otherwise take the
            // unsigned low BPC bits and shift them off.
            if (above == '0 || above == '1) begin
              digit = ACC'(rest);
              live_next[d] = 1'b0;
            end else begin
              digit = ACC'({1'b0, w_q[d*RB +: BPC]});
            end
          end
          acc_next = acc_next + (($signed(a_q[d*ACC +: ACC]) * digit) <<< shift_q);
          w_next[d*RB +: RB] = RB'(rest >>> BPC);
        end
      end
      assign consumed = live_next == '0;
    end else begin : g_term_serial
      localparam int TPC = PE_TERMS_PER_CYCLE;
      logic [DP*RB-1:0] rest_q;  // remaining magnitude of each weight
      logic [DP*RB-1:0] rest_next;
      logic [DP*SB-1:0] shift_q;
      logic [DP*SB-1:0] shift_next;
      logic [DP-1:0] neg_q;

      function automatic logic [SB-1:0] trailing_zeros(input logic [RB-1:0] v);
        logic [SB-1:0] n;
        n = '0;
        for (int i = RB - 1; i >= 0; i--) if (v[i]) n = SB'(i);
        return n;
      endfunction

      always_ff @(posedge clk) begin
        if (load) begin
          acc_q <= '0;
          shift_q <= '0;
          for (int d = 0; d < DP; d++) begin
            logic signed [RB-1:0] w;
            w = weight_at(d);
            a_q[d*ACC +: ACC] <= activation(d);
            neg_q[d] <= w[RB-1];
            rest_q[d*RB +: RB] <= w[RB-1] ? -w : w;
          end
        end else if (busy) begin
          acc_q <= acc_next;
          rest_q <= rest_next;
          shift_q <= shift_next;
        end
      end

      always_comb begin
        logic [RB-1:0] rest;
        logic [SB-1:0] shift;
        logic signed [ACC-1:0] term;
        logic minus;
        term = '0;
        minus = 1'b0;
        acc_next = acc_q;
        rest_next = rest_q;
        shift_next = shift_q;
        for (int d = 0; d < DP; d++) begin
          rest = rest_q[d*RB +: RB];
          shift = shift_q[d*SB +: SB];
          for (int t = 0; t < TPC; t++) begin
            if (rest != '0) begin
              shift = shift + trailing_zeros(rest);
              rest = rest >> trailing_zeros(rest);
              minus = rest[1:0] == 2'b11;
              rest = minus ? rest + RB'(1) : rest - RB'(1);
              term = $signed(a_q[d*ACC +: ACC]) <<< shift;
              acc_next = (minus ^ neg_q[d]) ? acc_next - term : acc_next + term;
            end
          end
          rest_next[d*RB +: RB] = rest;
          shift_next[d*SB +: SB] = shift;
        end
      end
      assign consumed = rest_next == '0;
    end
  endgenerate
endmodule

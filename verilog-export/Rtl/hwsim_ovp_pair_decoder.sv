// hwsim_ovp_pair_decoder.sv: HwSim reference OliVe outlier-victim-pair decoder for 4-bit int or flint normals
// (Guo et al., ISCA 2023, Sec. III). A pair of codes is read per cycle. A slot holding OVP4_IDENTIFIER
// is the victim (0) of its partner, an abfloat outlier; otherwise both slots are normals: int, or flint when
// flint_normals is set (the tensor's 1-bit normal-type choice of ovp4-auto, or an ovp4-flint tensor). Values
// come from the package's OVP4_NORMAL_DECODE, OVP4_FLINT_NORMAL_DECODE and OVP4_ABFLOAT_DECODE tables
// (OliVe's normalized units) and
// leave registered one cycle later (OVP_PAIR_DECODER_LATENCY_CYCLES). error flags a pair no encoder emits:
// two identifiers, or an identifier beside an abfloat code that holds no value.
// Parameterized only through hwsim_params_pkg.
// Values are OVP4_ABFLOAT_DECODE_BITS wide: outliers are the widest values of the format.
module hwsim_ovp_pair_decoder
  import hwsim_params_pkg::*;
(
  input  logic clk,
  input  logic rst_n,
  input  logic in_valid,
  input  logic flint_normals,
  input  logic [$clog2(OVP4_NORMAL_DECODE_COUNT)-1:0] code0,
  input  logic [$clog2(OVP4_NORMAL_DECODE_COUNT)-1:0] code1,
  output logic out_valid,
  output logic signed [OVP4_ABFLOAT_DECODE_BITS-1:0] value0,
  output logic signed [OVP4_ABFLOAT_DECODE_BITS-1:0] value1,
  output logic error
);
  localparam int CB = $clog2(OVP4_NORMAL_DECODE_COUNT);
  localparam int VB = OVP4_ABFLOAT_DECODE_BITS;
  localparam logic [CB-1:0] IDENTIFIER = CB'(OVP4_IDENTIFIER);

  function automatic logic signed [VB-1:0] normal(input logic [CB-1:0] code, input logic flint);
    return flint ? VB'($signed(OVP4_FLINT_NORMAL_DECODE[code*OVP4_FLINT_NORMAL_DECODE_BITS +: OVP4_FLINT_NORMAL_DECODE_BITS]))
                 : VB'($signed(OVP4_NORMAL_DECODE[code*OVP4_NORMAL_DECODE_BITS +: OVP4_NORMAL_DECODE_BITS]));
  endfunction

  function automatic logic signed [VB-1:0] outlier(input logic [CB-1:0] code);
    return VB'($signed(OVP4_ABFLOAT_DECODE[code*OVP4_ABFLOAT_DECODE_BITS +: OVP4_ABFLOAT_DECODE_BITS]));
  endfunction

  // An abfloat code with a zero magnitude field holds no value.
  function automatic logic empty_outlier(input logic [CB-1:0] code);
    return (code & ~IDENTIFIER) == '0;
  endfunction

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      out_valid <= 1'b0;
      value0 <= '0;
      value1 <= '0;
      error <= 1'b0;
    end else begin
      out_valid <= in_valid;
      if (in_valid) begin
        if (code1 == IDENTIFIER && code0 != IDENTIFIER) begin
          value0 <= outlier(code0);
          value1 <= '0;
          error <= empty_outlier(code0);
        end else if (code0 == IDENTIFIER && code1 != IDENTIFIER) begin
          value0 <= '0;
          value1 <= outlier(code1);
          error <= empty_outlier(code1);
        end else begin
          value0 <= code0 == IDENTIFIER ? '0 : normal(code0, flint_normals);
          value1 <= code1 == IDENTIFIER ? '0 : normal(code1, flint_normals);
          error <= code0 == IDENTIFIER;
        end
      end
    end
  end
endmodule

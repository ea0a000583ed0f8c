-- Attaches a language server to the current buffer with Neovim's built-in LSP client (0.7+),
-- collects every textDocument/publishDiagnostics it receives, writes them as JSON and quits.
-- Settings come from the environment (see test/e2e/runner/neovim.ts).
local server_command = vim.fn.json_decode(os.getenv('GG_LSP_COMMAND'))
local root_dir = os.getenv('GG_LSP_ROOT')
local output_file = os.getenv('GG_LSP_OUTPUT')
-- The server has finished its first pass once it has published something and then stayed quiet.
local quiet_ms = tonumber(os.getenv('GG_LSP_QUIET_MS') or '1500')
local timeout_ms = tonumber(os.getenv('GG_LSP_TIMEOUT_MS') or '20000')

local function now_ms()
  return vim.loop.hrtime() / 1e6
end

local published = {}
local publish_count = 0
local last_publish_ms = nil
local exit_code = nil
local errors = {}

local client_id = vim.lsp.start_client({
  name = 'gitops-guardrails',
  cmd = server_command,
  root_dir = root_dir,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, result)
      published[result.uri] = result.diagnostics
      publish_count = publish_count + 1
      last_publish_ms = now_ms()
    end,
  },
  on_error = function(code, err)
    table.insert(errors, tostring(code) .. ': ' .. vim.inspect(err))
  end,
  on_exit = function(code)
    exit_code = code
  end,
})

local attached = client_id ~= nil and vim.lsp.buf_attach_client(0, client_id)

local started_ms = now_ms()
vim.wait(timeout_ms, function()
  return exit_code ~= nil or (last_publish_ms ~= nil and now_ms() - last_publish_ms >= quiet_ms)
end, 50)

local client = client_id and vim.lsp.get_client_by_id(client_id)
local report = {
  attached = attached and true or false,
  initialized = client ~= nil and client.initialized == true,
  publishCount = publish_count,
  waitedMs = math.floor(now_ms() - started_ms),
  exitCode = exit_code or vim.NIL,
  errors = errors,
  diagnostics = published,
}

local file = assert(io.open(output_file, 'w'))
file:write(vim.fn.json_encode(report))
file:close()

if client_id then
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return exit_code ~= nil end, 50)
end
vim.cmd('qall!')
